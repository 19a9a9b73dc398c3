/*
 * The gradient explorer of "Backprop, Derived" (book/part2/gradient_explorer.md).
 *
 * Every formula shown here was derived by bplib on SymPy symbols and printed as LaTeX by SymPy
 * when the book was built (scripts/explorer_data.py -> explorer-data.js, which sets
 * window.GRADIENT_EXPLORER_DATA). This script only picks the geometry's record, lays out the
 * grids, hands the LaTeX to the bundled MathJax, and highlights cells: the position of the window
 * of output (u, v) in the padded input, rows u*S + p*D and columns v*S + q*D, is the only arithmetic.
 * Plain ES5-style JavaScript, no build step, works from file://.
 *
 * The Chinese edition of the book loads this same file: its words come from STRINGS below, in
 * the page's language (the lang of <html>, which Sphinx writes from the edition's `language`).
 */
(function () {
  "use strict";

  // Every word the explorer writes, one table per language of the book (the Chinese terms are
  // those of book/glossary.yml). An entry is a string or a function of the numbers it shows; the
  // labels, the grids' titles and captions, tooWide, hint and closedText go into the page as HTML,
  // the others as text. Both tables have the same entries; a language without a table gets English.
  var STRINGS = {
    en: {
      labels: {     // the controls' labels (HTML)
        H: "input H<sub>in</sub> = W<sub>in</sub>",
        k: "kernel k<sub>h</sub> = k<sub>w</sub>",
        S: "stride S",
        P: "padding P",
        D: "dilation D"
      },
      controls: "Geometry of the convolution",
      noOutput: "No output for this geometry. ",
      tooWide: function (width, padded) {
        return "The dilated kernel, D(k<sub>h</sub> − 1) + 1 = " + width + " wide, does not fit in the padded " +
          "input, H<sub>in</sub> + 2P = " + padded + " wide. ";
      },
      raises: "bplib.conv2d raises ValueError: ",
      input: "input a",
      padded: function (P) {
        return P ? "padded with " + P + " ring" + (P > 1 ? "s" : "") + " of zeros" : "no padding";
      },
      kernel: "kernel W",
      dilation: function (D) { return "dilation " + D; },
      output: "output z",
      stride: function (S) { return "stride " + S; },
      hint: "Point at a cell or a formula; click to keep the selection. No tap of any window lands on a " +
        "crossed-out input: its gradient is 0.",
      forward: "Forward pass",
      inputGradient: "Input gradient, in terms of δ and w",
      weightGradient: "Weight and bias gradients, in terms of a and δ",
      closedForm: "The closed form for the same geometry",
      closedText: function (stuffed, before, after, D) {
        return "δ̂ is δ with S − 1 = " + stuffed + " zero" + (stuffed === 1 ? "" : "s") +
          " between neighbouring entries, D(k<sub>h</sub> − 1) − P = " + before + " before them and " +
          after + " after" + (before < 0 || after < 0 ? " (a negative number: that many rows and columns are cut off)" : "") +
          ". Sliding rot180(W) over it, taps " + D + " apart, gives the input gradient: point at an input " +
          "a<sub>ij</sub> to see its window.";
      },
      noData: "The explorer's data file (explorer-data.js) did not load.",
      noMathJax: "MathJax did not load, so the formulas cannot be typeset."
    },
    zh: {
      labels: {
        H: "输入 H<sub>in</sub> = W<sub>in</sub>",
        k: "卷积核 k<sub>h</sub> = k<sub>w</sub>",
        S: "步长 S",
        P: "填充 P",
        D: "膨胀 D"
      },
      controls: "卷积的几何参数",
      noOutput: "这组几何参数没有输出。",
      tooWide: function (width, padded) {
        return "膨胀后的卷积核宽 D(k<sub>h</sub> − 1) + 1 = " + width + "，放不进宽 H<sub>in</sub> + 2P = " +
          padded + " 的填充后输入。";
      },
      raises: "bplib.conv2d 抛出 ValueError：",
      input: "输入 a",
      padded: function (P) { return P ? "四周补 " + P + " 圈零" : "无填充"; },
      kernel: "卷积核 W",
      dilation: function (D) { return "膨胀 " + D; },
      output: "输出 z",
      stride: function (S) { return "步长 " + S; },
      hint: "指向一个格子或一个公式；单击可保持选择。画了叉的输入上不落任何窗口的任何抽头：它的梯度为 0。",
      forward: "前向传播",
      inputGradient: "输入梯度（用 δ 和 w 表示）",
      weightGradient: "权值和偏置的梯度（用 a 和 δ 表示）",
      closedForm: "同一几何参数下的闭式",
      closedText: function (stuffed, before, after, D) {
        return "δ̂ 是在 δ 的相邻元素之间插入 S − 1 = " + stuffed + " 个零、前面补 D(k<sub>h</sub> − 1) − P = " +
          before + " 个零、后面补 " + after + " 个零得到的" +
          (before < 0 || after < 0 ? "（负数表示裁掉这么多行和列）" : "") +
          "。让 rot180(W) 以相隔 " + D + " 的抽头在它上面滑动，就得到输入梯度：指向一个输入 " +
          "a<sub>ij</sub>，可以看到它的窗口。";
      },
      noData: "探索器的数据文件（explorer-data.js）没有加载。",
      noMathJax: "MathJax 没有加载，无法排版公式。"
    }
  };

  // "zh-CN" (or "zh") -> the zh table; "en", anything else or nothing -> en.
  function language() {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase().split(/[-_]/)[0];
    return STRINGS.hasOwnProperty(lang) ? lang : "en";
  }

  var TEXT = STRINGS[language()];

  // The data key and the address call the kernel size k (a name, not a symbol: the book's
  // k is the output-channel index); the label and the formulas write k_h = k_w.
  var PARAMS = [
    // name in the data key, name in the address (the label is TEXT.labels[name])
    { name: "H", hash: "H" },
    { name: "k", hash: "k" },
    { name: "S", hash: "s" },
    { name: "P", hash: "p" },
    { name: "D", hash: "d" }
  ];
  var DEFAULT = { H: 5, k: 3, S: 2, P: 1, D: 1 };

  var root, data, state, typesetChain = Promise.resolve();
  var pinned = null, shown = null;      // the selection kept by a click, the one highlighted now

  /* ---------- small DOM helpers ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var name;
    for (name in attrs || {}) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else if (name === "html") {
        node.innerHTML = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    }
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // A displayed equation: MathJax typesets elements of class "math" (Sphinx's own convention).
  function mathBlock(tex, attrs) {
    var node = el("div", attrs || {});
    node.className = "gx-eq math notranslate nohighlight" + (attrs && attrs["class"] ? " " + attrs["class"] : "");
    node.textContent = "\\[" + tex + "\\]";
    return node;
  }

  function label(symbol, sub) {
    return "<span class=\"gx-sym\">" + symbol + "</span><sub>" + sub + "</sub>";
  }

  /* ---------- the address: #H=5&k=3&s=2&p=1&d=1 ---------- */

  function inRange(name, value) {
    var r = data.ranges[name];
    return typeof value === "number" && value >= r[0] && value <= r[1];
  }

  function readHash() {
    var out = {}, parts = window.location.hash.replace(/^#/, "").split("&");
    PARAMS.forEach(function (p) { out[p.name] = DEFAULT[p.name]; });
    parts.forEach(function (part) {
      var kv = part.split("="), value = parseInt(kv[1], 10);
      PARAMS.forEach(function (p) {
        if (kv[0] === p.hash && String(value) === kv[1] && inRange(p.name, value)) {
          out[p.name] = value;
        }
      });
    });
    return out;
  }

  function hashOf(s) {
    return "#" + PARAMS.map(function (p) { return p.hash + "=" + s[p.name]; }).join("&");
  }

  // The address always names the geometry shown (a missing or malformed one is replaced).
  function writeHash() {
    if (window.location.hash !== hashOf(state)) {
      window.history.replaceState(null, "", hashOf(state));
    }
  }

  function keyOf(s) {
    return [s.H, s.k, s.S, s.P, s.D].join(",");
  }

  /* ---------- controls ---------- */

  function buildControls() {
    var box = el("div", { "class": "gx-controls", role: "group", "aria-label": TEXT.controls });
    PARAMS.forEach(function (p) {
      var select = el("select", { "data-param": p.name, id: "gx-" + p.hash });
      var r = data.ranges[p.name], v;
      for (v = r[0]; v <= r[1]; v += 1) {
        select.appendChild(el("option", { value: String(v), text: String(v) }));
      }
      select.addEventListener("change", function () {
        state[p.name] = parseInt(select.value, 10);
        writeHash();
        render();
      });
      box.appendChild(el("label", { "for": "gx-" + p.hash, html: TEXT.labels[p.name] + " " }, [select]));
    });
    return box;
  }

  function syncControls() {
    PARAMS.forEach(function (p) {
      root.querySelector("select[data-param=\"" + p.name + "\"]").value = String(state[p.name]);
    });
  }

  /* ---------- grids ---------- */

  // A labelled grid of n x n cells; cell(r, c) returns {html, cls, sel} (sel: what pointing at it selects).
  function grid(name, title, caption, n, cell) {
    var table = el("table", { "class": "gx-grid", "data-grid": name }), r, c, tr, info, td;
    for (r = 0; r < n; r += 1) {
      tr = el("tr");
      for (c = 0; c < n; c += 1) {
        info = cell(r, c);
        td = el("td", { "class": info.cls, "data-r": String(r), "data-c": String(c), html: info.html });
        if (info.sel) {
          td.setAttribute("data-sel", info.sel);
          td.setAttribute("tabindex", "0");
        }
        tr.appendChild(td);
      }
      table.appendChild(tr);
    }
    return el("figure", { "class": "gx-figure" }, [
      el("figcaption", { html: "<strong>" + title + "</strong>" + (caption ? "<br>" + caption : "") }),
      el("div", { "class": "gx-grid-scroll" }, [table])
    ]);
  }

  function sub2(i, j, sep) {
    return String(i + 1) + (sep || "") + String(j + 1);
  }

  /* ---------- rendering one geometry ---------- */

  function render() {
    var s = state, g = data.geometries[keyOf(s)], old = root.querySelector(".gx-body"),
      body = el("div", { "class": "gx-body" });
    pinned = null;
    shown = null;
    root.setAttribute("data-state", "loading");
    root.replaceChild(body, old);
    body.appendChild(mathBlock(g.size, { "class": "gx-size" }));
    if (g.error) {
      body.appendChild(el("div", { "class": "gx-error", role: "alert" }, [
        el("strong", { text: TEXT.noOutput }),
        el("span", { html: TEXT.tooWide(s.D * (s.k - 1) + 1, s.H + 2 * s.P) }),
        el("span", { text: TEXT.raises }),
        el("code", { "class": "gx-error-message", text: g.error })
      ]));
    } else {
      renderGeometry(body, s, g);
    }
    typeset(old, body, keyOf(s));
  }

  function renderGeometry(body, s, g) {
    var H = s.H, k = s.k, P = s.P, Ho = g.Ho, n = H + 2 * P, sep = g.dsep, unused = {}, grids, closed;
    g.unused.forEach(function (i) { unused[i] = true; });

    grids = el("div", { "class": "gx-grids" }, [
      grid("a", TEXT.input, TEXT.padded(P),
        n, function (r, c) {
          var i = r - P, j = c - P;
          if (i < 0 || j < 0 || i >= H || j >= H) {
            return { html: "0", cls: "gx-pad" };
          }
          return { html: label("a", sub2(i, j)), cls: "gx-a" + (unused[i * H + j] ? " gx-unused" : ""),
                   sel: "a:" + i + ":" + j };
        }),
      grid("w", TEXT.kernel, TEXT.dilation(s.D), k, function (r, c) {
        return { html: label("w", sub2(r, c)), cls: "gx-w", sel: "w:" + r + ":" + c };
      }),
      grid("z", TEXT.output, TEXT.stride(s.S), Ho, function (r, c) {
        return { html: label("z", sub2(r, c, sep)), cls: "gx-z", sel: "d:" + r + ":" + c };
      }),
      grid("d", "δ", "∂L/∂z", Ho, function (r, c) {
        return { html: label("δ", sub2(r, c, sep)), cls: "gx-d", sel: "d:" + r + ":" + c };
      })
    ]);
    body.appendChild(grids);
    body.appendChild(el("p", { "class": "gx-hint", html: TEXT.hint }));

    body.appendChild(section(TEXT.forward, "z", g.z.map(function (tex, idx) {
      return mathBlock(tex, { "data-sel": "d:" + Math.floor(idx / Ho) + ":" + (idx % Ho), tabindex: "0" });
    })));
    body.appendChild(section(TEXT.inputGradient, "da", g.da.map(function (tex, idx) {
      return mathBlock(tex, { "data-sel": "a:" + Math.floor(idx / H) + ":" + (idx % H), tabindex: "0" });
    })));
    body.appendChild(section(TEXT.weightGradient, "dw", g.dw.map(function (tex, idx) {
      return mathBlock(tex, { "data-sel": "w:" + Math.floor(idx / k) + ":" + (idx % k), tabindex: "0" });
    }).concat([mathBlock(g.db, { "data-sel": "b", tabindex: "0", "class": "gx-db" })])));

    closed = el("div", { "class": "gx-section gx-closed" }, [
      el("h2", { text: TEXT.closedForm }),
      el("p", { html: TEXT.closedText(s.S - 1, g.dhat_pad[0], g.dhat_pad[1], s.D) }),
      el("div", { "class": "gx-grids" }, [
        grid("dhat", "δ̂", "", H + s.D * (k - 1), function (r, c) {
          var m = H + s.D * (k - 1), code = g.dhat[r * m + c];
          if (code >= 0) {
            return { html: label("δ", sub2(Math.floor(code / Ho), code % Ho, sep)), cls: "gx-d",
                     sel: "d:" + Math.floor(code / Ho) + ":" + (code % Ho) };
          }
          return { html: "0", cls: code === -1 ? "gx-stuffed" : "gx-pad" };
        }),
        grid("rot", "rot180(W)", "", k, function (r, c) {
          var idx = g.rot[r * k + c];
          return { html: label("w", sub2(Math.floor(idx / k), idx % k)), cls: "gx-w",
                   sel: "w:" + Math.floor(idx / k) + ":" + (idx % k) };
        })
      ])
    ]);
    body.appendChild(closed);
  }

  function section(title, name, rows) {
    return el("div", { "class": "gx-section", "data-list": name }, [
      el("h2", { text: title }),
      el("div", { "class": "gx-list" }, rows)
    ]);
  }

  /* ---------- MathJax (the copy bundled with the book) ---------- */

  // MathJax keeps a list of the formulas it typeset: forget those of the replaced body, typeset the
  // new one (unless a newer geometry replaced it meanwhile). One typesetting at a time, in order.
  function typeset(old, node, key) {
    typesetChain = typesetChain.then(function () {
      var mj = window.MathJax;
      mj.typesetClear([old]);
      return root.contains(node) ? mj.typesetPromise([node]) : null;
    }).then(function () {
      if (root.contains(node) && keyOf(state) === key) {
        root.setAttribute("data-state", "ready");
        root.setAttribute("data-geometry", key);
      }
    }).catch(function (err) {
      root.setAttribute("data-state", "error");
      console.error("gradient explorer: " + err.message);
    });
  }

  /* ---------- highlighting ---------- */

  function cells(sel) {
    return root.querySelectorAll("[data-sel=\"" + sel + "\"]");
  }

  function mark(sel, cls, tag) {
    Array.prototype.forEach.call(cells(sel), function (node) {
      node.classList.add(cls);
      if (tag && node.tagName === "TD") {
        node.appendChild(el("span", { "class": "gx-tag", html: tag }));
      }
    });
  }

  function clearMarks() {
    Array.prototype.forEach.call(root.querySelectorAll(".gx-on, .gx-hl, .gx-win"), function (node) {
      node.classList.remove("gx-on", "gx-hl", "gx-win");
    });
    Array.prototype.forEach.call(root.querySelectorAll(".gx-tag"), function (node) {
      node.parentNode.removeChild(node);
    });
  }

  // Every (u, v, p, q) whose tap lands on input (i, j): the window of output (u, v) covers
  // padded row u*S + p*D and column v*S + q*D.
  function taps(visit) {
    var s = state, g = data.geometries[keyOf(s)], u, v, p, q, i, j;
    for (u = 0; u < g.Ho; u += 1) {
      for (v = 0; v < g.Ho; v += 1) {
        for (p = 0; p < s.k; p += 1) {
          for (q = 0; q < s.k; q += 1) {
            i = u * s.S + p * s.D - s.P;
            j = v * s.S + q * s.D - s.P;
            visit(u, v, p, q, i, j, i >= 0 && j >= 0 && i < s.H && j < s.H);
          }
        }
      }
    }
  }

  function highlight(sel) {
    var s = state, g = data.geometries[keyOf(s)], parts, kind, x, y, sep;
    shown = sel;
    clearMarks();
    if (!sel || !g || g.error) {
      return;
    }
    sep = g.dsep;
    parts = sel.split(":");
    kind = parts[0];
    x = parseInt(parts[1], 10);
    y = parseInt(parts[2], 10);
    mark(sel, "gx-on");
    if (kind === "b") {
      taps(function (u, v) { mark("d:" + u + ":" + v, "gx-hl"); });
      return;
    }
    taps(function (u, v, p, q, i, j, inside) {
      var pad = root.querySelector("table[data-grid=\"a\"] td[data-r=\"" + (i + s.P) + "\"][data-c=\"" + (j + s.P) + "\"]");
      if (kind === "d" && u === x && v === y) {
        if (inside) {
          mark("a:" + i + ":" + j, "gx-hl", label("w", sub2(p, q)));
          mark("w:" + p + ":" + q, "gx-hl");
        } else if (pad) {
          pad.classList.add("gx-win");       // the window over the padding
        }
      } else if (kind === "a" && inside && i === x && j === y) {
        mark("d:" + u + ":" + v, "gx-hl", label("w", sub2(p, q)));
        mark("w:" + p + ":" + q, "gx-hl");
      } else if (kind === "w" && inside && p === x && q === y) {
        mark("a:" + i + ":" + j, "gx-hl", label("δ", sub2(u, v, sep)));
        mark("d:" + u + ":" + v, "gx-hl");
      }
    });
    if (kind === "a") {
      windowOnDeltaHat(x, y);
    }
  }

  // The closed form at input (i, j): rot180(W)[p][q] meets δ̂[i + p*D][j + q*D].
  function windowOnDeltaHat(i, j) {
    var s = state, dhat = root.querySelector("table[data-grid=\"dhat\"]"),
      rot = root.querySelector("table[data-grid=\"rot\"]"), p, q, cell;
    for (p = 0; p < s.k; p += 1) {
      for (q = 0; q < s.k; q += 1) {
        cell = dhat.rows[i + p * s.D].cells[j + q * s.D];
        cell.classList.add("gx-win");
        if (cell.classList.contains("gx-d")) {
          rot.rows[p].cells[q].classList.add("gx-win");
        }
      }
    }
  }

  // Bring the first highlighted formula of each list into its box (not the list being pointed at).
  function revealFormulas(pointed) {
    Array.prototype.forEach.call(root.querySelectorAll(".gx-list"), function (list) {
      var row = list.querySelector(".gx-on, .gx-hl");
      if (row && !(pointed && list.contains(pointed))) {
        list.scrollTop = row.offsetTop - 4;     // .gx-list is positioned: offsetTop is within it
      }
    });
  }

  function selectionAt(target) {
    var node = target && target.closest ? target.closest("[data-sel]") : null;
    return node && root.contains(node) ? node.getAttribute("data-sel") : null;
  }

  function bindPointer() {
    root.addEventListener("mouseover", function (event) {
      var sel = selectionAt(event.target) || pinned;
      if (sel !== shown) {
        highlight(sel);
        revealFormulas(event.target);
      }
    });
    root.addEventListener("mouseleave", function () { highlight(pinned); });
    root.addEventListener("focusin", function (event) {
      var sel = selectionAt(event.target);
      if (sel) {
        highlight(sel);
        revealFormulas(event.target);
      }
    });
    root.addEventListener("click", function (event) {
      var sel = selectionAt(event.target);
      if (sel) {
        pinned = pinned === sel ? null : sel;
        highlight(sel);
        revealFormulas(event.target);
      }
    });
    root.addEventListener("keydown", function (event) {
      var sel = selectionAt(event.target);
      if (sel && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        pinned = pinned === sel ? null : sel;
        highlight(sel);
      }
    });
  }

  /* ---------- start ---------- */

  function start() {
    // the page's notice for readers without JavaScript (a translated paragraph of the page)
    Array.prototype.forEach.call(document.querySelectorAll(".gx-noscript"), function (n) {
      n.hidden = true;
    });
    root = document.getElementById("gradient-explorer-app");
    data = window.GRADIENT_EXPLORER_DATA;
    if (!root) {
      return;
    }
    if (!data) {
      root.setAttribute("data-state", "error");
      root.appendChild(el("p", { "class": "gx-error", text: TEXT.noData }));
      console.error("gradient explorer: window.GRADIENT_EXPLORER_DATA is missing");
      return;
    }
    state = readHash();
    writeHash();
    root.appendChild(buildControls());
    root.appendChild(el("div", { "class": "gx-body" }));
    syncControls();
    bindPointer();
    window.addEventListener("hashchange", function () {
      var next = readHash();
      if (keyOf(next) !== keyOf(state)) {
        state = next;
        syncControls();
        render();
      }
      writeHash();
    });
    // Render once MathJax has typeset the rest of the page, so that it typesets the explorer's
    // formulas only through typeset() above.
    typesetChain = mathJaxReady().then(render, function (err) {
      root.setAttribute("data-state", "error");
      root.appendChild(el("p", { "class": "gx-error", text: err.message }));
      console.error("gradient explorer: " + err.message);
    });
  }

  // The MathJax bundled with the book is loaded with "defer" and has replaced its configuration
  // object by the real one before DOMContentLoaded; wait for its first typesetting of the page.
  function mathJaxReady() {
    var mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.promise) {
      return Promise.reject(new Error(TEXT.noMathJax));
    }
    return mj.startup.promise;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
