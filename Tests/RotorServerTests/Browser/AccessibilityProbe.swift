/// The scripts the accessibility tests run in the page (over WebDriver's own channel, so the page's CSP does not
/// apply). Each walks the DOM rather than naming elements, so that what is added to a page later is checked too, and
/// returns a list of problems, each naming the offending element.
enum AccessibilityProbe {
    /// Shared helpers: `describe(el)` names an element for a failure message; `named(el)` tells whether it has an
    /// aria-label or an aria-labelledby pointing at text.
    static let helpers = #"""
        function describe(el) {
          var s = el.tagName.toLowerCase();
          if (el.id) s += '#' + el.id;
          if (el.getAttribute('class')) s += '.' + el.getAttribute('class').trim().split(/\s+/).join('.');
          ['name', 'type', 'href', 'action'].forEach(function (a) { if (el.getAttribute(a)) s += '[' + a + '=' + el.getAttribute(a) + ']'; });
          var t = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
          return t ? s + ' "' + t + '"' : s;
        }
        function named(el) {
          if ((el.getAttribute('aria-label') || '').trim()) return true;
          return (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean).some(function (id) {
            var r = document.getElementById(id); return r && r.textContent.trim();
          });
        }
        function shown(el) {
          var r = el.getBoundingClientRect(), s = getComputedStyle(el);
          return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none';
        }
        """#

    /// Marks every element the Tab key must reach, in document order, with `data-tab-stop` = its index, and returns their
    /// descriptions. One stop per radio group (its checked button, or the first), as browsers do.
    static let tabStops = helpers + #"""
        var stops = [], radios = {};
        document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').forEach(function (el) {
          var tabindex = el.getAttribute('tabindex');
          if (el.matches('[tabindex]:not(a[href], button, input, select, textarea, summary)') && parseInt(tabindex, 10) < 0) return;
          if (el.disabled || el.type === 'hidden' || !el.getClientRects().length || getComputedStyle(el).visibility !== 'visible') return;
          if (el.type === 'radio') {
            var key = (el.form ? el.form.action : '') + '|' + el.name;
            if (radios[key]) { if (el.checked) stops[radios[key].index] = el; return; }
            radios[key] = { index: stops.length };
          }
          stops.push(el);
        });
        return stops.map(function (el, i) { el.setAttribute('data-tab-stop', String(i)); return describe(el); });
        """#

    /// What has the focus now: its tab-stop index (nil when it is not one), its description, whether it is the
    /// document itself (focus left the page's last stop), whether it can scroll (Chromium puts a scroll box with no
    /// focusable content in the Tab order, which is right), and whether a focus indicator is shown on screen.
    static let focused = helpers + #"""
        var el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return { document: true };
        var s = getComputedStyle(el), r = el.getBoundingClientRect();
        var outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        var shadow = s.boxShadow && s.boxShadow !== 'none';
        return {
          document: false, index: el.getAttribute('data-tab-stop'), element: describe(el),
          scroller: /(auto|scroll)/.test(s.overflowX + s.overflowY) && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight),
          indicator: outline || shadow, onScreen: r.right > 0 && r.left < window.innerWidth && r.width > 0 && r.height > 0,
          main: el.tagName === 'MAIN', style: 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ', box-shadow ' + s.boxShadow
        };
        """#

    /// Accessible names and the page's frame: controls labelled, buttons and links named, SVG figures `role="img"` with
    /// a title, one `<h1>`, `lang` on `<html>`, a `<title>`.
    static let labels = helpers + #"""
        var problems = [];
        document.querySelectorAll('input, select, textarea').forEach(function (el) {
          if (el.type === 'hidden') return;
          var labelled = Array.prototype.some.call(el.labels || [], function (l) { return l.textContent.trim(); });
          if (!labelled && !named(el)) problems.push('control without a label: ' + describe(el));
        });
        document.querySelectorAll('a[href], button').forEach(function (el) {
          if (!el.textContent.trim() && !named(el)) problems.push('button or link without text or aria-label: ' + describe(el));
        });
        document.querySelectorAll('svg').forEach(function (el) {
          var title = el.querySelector(':scope > title');
          if (el.getAttribute('role') !== 'img') problems.push('SVG without role="img": ' + describe(el).slice(0, 80));
          if (!(title && title.textContent.trim()) && !named(el)) problems.push('SVG without a title or aria-label: ' + describe(el).slice(0, 80));
        });
        var h1 = document.querySelectorAll('h1');
        if (h1.length !== 1) problems.push(h1.length + ' <h1> elements, not one');
        if (!(document.documentElement.getAttribute('lang') || '').trim()) problems.push('<html> without lang');
        if (!document.title.trim()) problems.push('no <title>');
        return problems;
        """#

    /// WCAG 2.1 contrast of every visible text (HTML text, form controls, SVG text by its fill) against its effective
    /// background, walking up to the first opaque background: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
    /// Each state badge tone is measured too, on a probe badge, whether or not the page shows one.
    static let contrast = helpers + #"""
        function parse(c) {
          var m = /rgba?\(([^)]+)\)/.exec(c || '');
          if (!m) return null;
          var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
          return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
        }
        function over(top, bottom) {
          var a = top.a + bottom.a * (1 - top.a);
          function mix(k) { return (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a; }
          return { r: mix('r'), g: mix('g'), b: mix('b'), a: a };
        }
        function background(el) {
          var layers = [];
          for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
            var c = parse(getComputedStyle(n).backgroundColor);
            if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
          }
          var result = { r: 255, g: 255, b: 255, a: 1 };
          for (var i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
          return result;
        }
        function luminance(c) {
          function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
          return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
        }
        function css(c) { return 'rgb(' + [c.r, c.g, c.b].map(Math.round).join(',') + ')'; }
        var problems = [], checked = 0;
        function check(el, fg, from) {
          var s = getComputedStyle(el), bg = background(from);
          if (!fg || fg.a === 0) return;
          fg = over(fg, bg);
          var size = parseFloat(s.fontSize), weight = parseInt(s.fontWeight, 10) || (s.fontWeight === 'bold' ? 700 : 400);
          var large = size >= 24 || (size >= 18.66 && weight >= 700);
          var la = luminance(fg), lb = luminance(bg);
          var ratio = (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05), needed = large ? 3 : 4.5;
          checked++;
          if (ratio + 1e-9 < needed) problems.push(describe(el).slice(0, 120) + ': contrast ' + ratio.toFixed(2) + ':1 (' + css(fg) + ' on ' + css(bg) + '), needs ' + needed + ':1');
        }
        var main = document.querySelector('main') || document.body, probes = [];
        ['good', 'warn', 'bad'].forEach(function (tone) {
          var probe = document.createElement('span');
          probe.className = 'state ' + tone;
          probe.textContent = 'probe badge ' + tone;
          main.appendChild(probe);
          probes.push(probe);
        });
        document.querySelectorAll('body *').forEach(function (el) {
          if (/^(SCRIPT|STYLE|TITLE|DESC|OPTION|METER|PROGRESS|NOSCRIPT|TEMPLATE)$/i.test(el.tagName) || !shown(el)) return;
          var inSVG = el.closest('svg');
          if (inSVG) {
            if (/^(text|tspan)$/i.test(el.tagName)) check(el, parse(getComputedStyle(el).fill), inSVG.parentElement);
            return;
          }
          var field = el.matches('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea');
          var text = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
          if (field || text) check(el, parse(getComputedStyle(el).color), el);
        });
        probes.forEach(function (p) { p.remove(); });
        return { problems: problems, checked: checked };
        """#

    /// At the current width: nothing makes the page scroll sideways, and whatever is wider than the viewport sits in a
    /// container of its own that scrolls (or clips) it.
    static let narrow = helpers + #"""
        var problems = [], width = window.innerWidth;
        if (document.documentElement.scrollWidth > width + 1)
          problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px wide in a ' + width + ' px window');
        function boxed(el) {
          for (var n = el.parentElement; n && n !== document.body; n = n.parentElement) {
            if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(n).overflowX) && n.getBoundingClientRect().right <= width + 1) return true;
          }
          return false;
        }
        document.querySelectorAll('body *').forEach(function (el) {
          if (!shown(el) || el.closest('svg') && el.tagName.toLowerCase() !== 'svg') return;
          var r = el.getBoundingClientRect();
          if (r.right <= width + 1 || r.right <= 0 || boxed(el)) return;
          problems.push(describe(el).slice(0, 100) + ' reaches ' + Math.round(r.right) + ' px, outside any scroll box');
        });
        // Text can overflow a box that fits (a long word): measure the text itself.
        var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), node;
        while ((node = walker.nextNode())) {
          var parent = node.parentElement;
          if (!node.textContent.trim() || !parent || !shown(parent) || parent.closest('svg, script, style')) continue;
          var range = document.createRange();
          range.selectNodeContents(node);
          var right = range.getBoundingClientRect().right;
          if (right > width + 1 && !boxed(node)) problems.push('the text of ' + describe(parent).slice(0, 100) + ' reaches ' + Math.round(right) + ' px, outside any scroll box');
        }
        return problems.slice(0, 20);
        """#
}
