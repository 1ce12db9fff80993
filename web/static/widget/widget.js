/*
 * The CPS careers assistant widget. A host page adds one tag:
 *
 *   <script src="https://ASSISTANT/widget/widget.js" data-server="https://ASSISTANT"
 *           data-position="right" data-greeting="/greeting" data-lang="en" defer></script>
 *
 * data-lang="cy" starts it in Welsh; the visitor can switch language at any time, and the
 * widget follows the language the assistant answers in. Its words, in both languages, come
 * from the web app (GET /api/strings, from the knowledge file): none are written here.
 *
 * No framework and no build step. Everything lives in a shadow root, so the host's CSS
 * and ours do not meet. Nothing a visitor or the bot sends is ever parsed as HTML: text
 * goes into text nodes, and links are made only from https: and mailto: addresses.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.cpsCareersAssistant) {
    return; // loaded twice: the first copy wins
  }

  var STORAGE_KEY = "cps-careers-assistant";
  var MAX_TURNS = 200; // keeps the page's memory small however long the conversation
  var NEAR_LIMIT = 0.8; // the character count shows from this share of the limit
  // The error codes the widget explains, and the string (GET /api/strings) that does.
  var ERRORS = {
    message_too_long: "error-message-too-long",
    empty_message: "error-empty-message",
    bad_command: "error-bad-command",
    rate_limited: "error-rate-limited",
    origin_not_allowed: "error-origin-not-allowed",
    offline: "error-offline",
    unavailable: "error-unavailable",
    feedback: "error-feedback",
    transcript: "error-transcript",
    handoff: "error-handoff"
  };
  var LANGUAGES = ["en", "cy"]; // English and Welsh ("Cymraeg")
  // The offer to send the question to the recruitment team: a button with this payload and
  // a link to the form (bot/actions/handoff.py); the widget opens the form (handoff.js) itself.
  var HANDOFF_PAYLOAD = "/human-handoff";
  // What each API answer must hold to count as an answer.
  var ANSWER_FIELD = { messages: "messages", feedback: "messages", transcript: "turns" };

  // ---- Configuration from the script tag --------------------------------------------

  function readConfig() {
    var data = script.dataset;
    var server;
    try {
      server = new URL(data.server || script.src, document.baseURI);
    } catch (e) {
      server = new URL(script.src);
    }
    var origin = /^https?:$/.test(server.protocol) ? server.origin : new URL(script.src).origin;
    return {
      server: origin,
      title: data.title ? data.title.slice(0, 80) : null, // the English title, if not ours
      position: data.position === "left" ? "left" : "right",
      greeting: /^\/[a-z0-9_-]{1,64}$/.test(data.greeting || "") ? data.greeting : "/greeting",
      privacyUrl: configUrl(data.privacy) || origin + "/privacy",
      accessibilityUrl: configUrl(data.accessibility) || origin + "/accessibility",
      transparencyUrl: configUrl(data.transparency) || origin + "/algorithmic-transparency",
      accuracyUrl: configUrl(data.accuracy) || origin + "/accuracy",
      lang: /^cy(-|$)/i.test(data.lang || "") ? "cy" : "en",
      // The server's MAX_MESSAGE_CHARS; a refusal from the server corrects it.
      maxLength: /^[0-9]{1,6}$/.test(data.maxLength || "") && +data.maxLength > 0 ? +data.maxLength : 1000
    };
  }

  // A link from the site's own configuration may be http (a local demo); bot links may not.
  function configUrl(raw) {
    if (!raw) return null;
    try {
      var url = new URL(raw, document.baseURI);
      return /^https?:$/.test(url.protocol) ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // The strict allow-list for links that arrive in messages.
  function safeHref(raw) {
    try {
      var url = new URL(raw);
      return url.protocol === "https:" || url.protocol === "mailto:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- State: the conversation id in session storage, the transcript in memory ------
  //
  // Any script on the host page can read its session storage, so it holds only the
  // conversation id, whether the panel is open and the language chosen, never what the
  // visitor typed. After a reload or a move to another page the widget asks the web app for
  // the conversation as it was stored, with personal details already redacted
  // (POST /api/transcript).

  var memoryStore = {};
  var store = {
    get: function () {
      try {
        return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      } catch (e) {
        return memoryStore.value || null; // storage blocked: keep the conversation for this page
      }
    },
    set: function (value) {
      try {
        window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      } catch (e) {
        memoryStore.value = value;
      }
    }
  };

  function newConversationId() {
    var bytes = new Uint8Array(16); // 128 random bits: not guessable
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function loadState() {
    var saved = store.get();
    if (saved && typeof saved.id === "string" && /^[a-f0-9]{32}$/.test(saved.id)) {
      var lang = LANGUAGES.indexOf(saved.lang) >= 0 ? saved.lang : config.lang;
      return { id: saved.id, open: saved.open === true, turns: [], saved: true, lang: lang };
    }
    return { id: newConversationId(), open: false, turns: [], saved: false, lang: config.lang };
  }

  // The language goes with the conversation from page to page (it is not visitor text).
  function saveState() {
    state.turns = state.turns.slice(-MAX_TURNS);
    store.set({ id: state.id, open: state.open, lang: state.lang });
  }

  // A turn of POST /api/transcript as the widget keeps it; anything odd is left out.
  function storedTurn(turn) {
    if (!turn || typeof turn !== "object") return null;
    if (turn.who === "user") {
      var text = asString(turn.text, 5000);
      return text ? { who: "user", text: text } : null;
    }
    if (turn.who !== "bot") return null;
    var restored = botTurn(turn.messages, turn.rateable === true);
    restored.rating = turn.rating === "up" || turn.rating === "down" ? turn.rating : null;
    restored.ack = asString(turn.ack, 500);
    return restored;
  }

  // ---- Turning Rasa's messages into one bot turn -------------------------------------

  function asString(value, max) {
    return typeof value === "string" ? value.slice(0, max) : null;
  }

  // Rasa sends each text (with its buttons) and the contract's `custom` payload as
  // separate messages; keep only the fields we render, as plain strings. Only an answer
  // (the payload says `"rateable": true`) asks for a rating.
  function botTurn(messages, rateable) {
    var turn = {
      who: "bot", texts: [], buttons: [], custom: null, rateable: rateable, rating: null, ack: null, lang: null
    };
    (Array.isArray(messages) ? messages : []).forEach(function (message) {
      if (!message || typeof message !== "object") return;
      var text = asString(message.text, 5000);
      if (text) turn.texts.push(text);
      (Array.isArray(message.buttons) ? message.buttons : []).forEach(function (button) {
        var title = button && asString(button.title, 200);
        var payload = button && asString(button.payload, 200);
        var handoff = payload === HANDOFF_PAYLOAD && typeof button.url === "string";
        if (title && payload) turn.buttons.push({ title: title, payload: payload, handoff: handoff });
      });
      var custom = message.custom;
      // The language the assistant answered in; absent (older conversations) means English.
      if (custom && typeof custom === "object" && LANGUAGES.indexOf(custom.lang) >= 0 && !turn.lang) {
        turn.lang = custom.lang;
      }
      if (custom && typeof custom === "object" && typeof custom.topic === "string" && !turn.custom) {
        turn.custom = {
          topic: custom.topic.slice(0, 64),
          source: asString(custom.source, 2000),
          reviewed: asString(custom.reviewed, 10),
          title: asString(custom.title, 200)
        };
        turn.rateable = rateable && custom.rateable === true;
      }
    });
    if (!turn.custom) turn.rateable = false; // nothing to say which topic a rating is about
    return turn;
  }

  // ---- Building DOM without HTML parsing ---------------------------------------------

  var idCounter = 0;
  function uid(prefix) {
    idCounter += 1;
    return "cw-" + prefix + "-" + idCounter;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hiddenText(text) {
    return el("span", { "class": "cw-visually-hidden", text: text });
  }

  // ---- The widget's words, in the visitor's language -----------------------------------

  var strings = null; // {"en": {...}, "cy": {...}} from GET /api/strings

  function t(key, values) {
    var text = strings[state.lang][key];
    if (typeof text !== "string") text = strings.en[key] || "";
    return text.replace(/\{([a-z]+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  // A sentence with nodes in it: "Source: {link}" gives ["Source: ", <a>]. Plain parts go
  // through `wrap` (e.g. hidden from sight), nodes as they are.
  function sentence(key, nodesByName, wrap) {
    return t(key).split(/(\{[a-z]+\})/).filter(Boolean).map(function (part) {
      var name = /^\{([a-z]+)\}$/.exec(part);
      if (name && nodesByName[name[1]] !== undefined) return nodesByName[name[1]];
      return wrap ? wrap(part) : part;
    });
  }

  // The sender line: the name is shown, the words around it are for screen readers only.
  function said(key, name) {
    return sentence(key, { name: name }, hiddenText);
  }

  function title() {
    return state.lang === "en" && config.title ? config.title : t("title");
  }

  // The value of a lang attribute for each language (WCAG 3.1.1 and 3.1.2).
  function langTag(lang) {
    return lang === "cy" ? "cy" : "en-GB";
  }

  function otherLanguage() {
    return state.lang === "cy" ? "en" : "cy";
  }

  function svgIcon(pathData, extraClass) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "cw-icon" + (extraClass ? " " + extraClass : ""));
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  var ICON_CHAT = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z";
  // Material Icons "thumb_up" (Apache-2.0); "thumb down" is the same shape turned over in CSS.
  var ICON_THUMB = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
    "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";

  function link(href, label) {
    var external = href.indexOf("mailto:") !== 0;
    return el("a", {
      href: href,
      target: external ? "_blank" : null,
      rel: "noopener noreferrer"
    }, [label, external ? hiddenText(" " + t("new-tab")) : null]);
  }

  // Markdown-style [label](address) links and bare https:// or mailto: addresses.
  var LINK_PATTERN = /\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)|(https:\/\/[^\s<>()]*[^\s<>().,;:!?'"])|(mailto:[^\s<>()]+[^\s<>().,;:!?'"])/g;

  function inlineText(text) {
    var nodes = [];
    var last = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      if (match.index > last) nodes.push(text.slice(last, match.index));
      var label = match[1] || match[3] || match[4];
      var href = safeHref(match[2] || match[3] || match[4]);
      nodes.push(href ? link(href, label) : label); // a refused address stays visible as text
      last = LINK_PATTERN.lastIndex;
    }
    if (last < text.length) nodes.push(text.slice(last));
    return nodes;
  }

  var BULLET = /^\s*[-*•]\s+/;
  var NUMBERED = /^\s*\d{1,2}\.\s+/;

  // Paragraphs on blank lines, runs of "- " lines as lists and of "1. " lines as numbered
  // lists (the list numbers them), other line breaks kept.
  function richText(text) {
    var fragment = document.createDocumentFragment();
    var open = null; // the paragraph or list being filled
    text.split("\n").forEach(function (line) {
      if (line.trim() === "") {
        open = null;
        return;
      }
      var list = BULLET.test(line) ? "UL" : NUMBERED.test(line) ? "OL" : null;
      if (list) {
        if (!open || open.tagName !== list) {
          open = fragment.appendChild(el(list.toLowerCase(), { "class": "cw-list" }));
        }
        open.appendChild(el("li", {}, inlineText(line.replace(list === "UL" ? BULLET : NUMBERED, ""))));
        return;
      }
      if (open && open.tagName === "P") open.appendChild(el("br"));
      else open = fragment.appendChild(el("p", { "class": "cw-text" }));
      inlineText(line).forEach(function (node) {
        open.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
      });
    });
    return fragment;
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) return null;
    var months = strings[state.lang].months || strings.en.months;
    return +m[3] + " " + months[+m[2] - 1] + " " + m[1];
  }

  // ---- The widget ----------------------------------------------------------------------

  var config = readConfig();
  var state = loadState();
  var busy = false;
  var generation = 0; // bumped on restart, so late answers to an old conversation are dropped
  var retryAction = null;
  var shownError = null; // {key, retry} of the error on show
  var ui = {};
  var nodes = new WeakMap(); // turn -> its list item; kept out of the saved state
  var ratingViews = new WeakMap(); // bot turn -> its feedback buttons and acknowledgement

  function build() {
    var host = el("div", { id: "cps-careers-assistant" });
    var root = host.attachShadow({ mode: "open" });
    var stylesheet = el("link", { rel: "stylesheet", href: config.server + "/widget/widget.css" });
    var titleId = uid("title");
    var inputId = uid("input");
    var hintId = uid("hint");

    // The words go in by paint(), here and whenever the language changes.
    ui.launcherText = el("span");
    ui.launcher = el("button", {
      type: "button", "class": "cw-launcher", "aria-expanded": "false", "aria-controls": "cw-panel"
    }, [svgIcon(ICON_CHAT), ui.launcherText]);

    // The switch names the other language in that language ("Cymraeg", "English").
    ui.language = el("button", { type: "button", "class": "cw-header-button cw-language" });
    ui.restart = el("button", { type: "button", "class": "cw-header-button" });
    ui.close = el("button", { type: "button", "class": "cw-header-button" });
    ui.messages = el("ol", { "class": "cw-messages" });
    // The log itself is silent: a new reply is announced by its text alone (ui.announcer),
    // not with every button label; the buttons are there to be found.
    ui.log = el("div", {
      "class": "cw-log", role: "log", "aria-live": "off", "aria-labelledby": titleId, tabindex: "0"
    }, [ui.messages]);
    ui.announcer = el("div", { "class": "cw-visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
    ui.typing = el("div", { "class": "cw-typing", role: "status" });
    ui.error = el("div", { "class": "cw-error", role: "alert" });
    var countId = uid("count");
    ui.input = el("textarea", {
      id: inputId, "class": "cw-input", rows: "2", autocomplete: "off", "aria-describedby": hintId + " " + countId
    });
    // Shown near the limit; screen readers hear it when typing pauses (ui.countStatus).
    ui.count = el("p", { id: countId, "class": "cw-count", "aria-hidden": "true", hidden: true });
    ui.countStatus = el("div", { "class": "cw-visually-hidden", "aria-live": "polite" });
    ui.hint = el("p", { id: hintId, "class": "cw-hint" });
    ui.send = el("button", { type: "submit", "class": "cw-send" });
    ui.label = el("label", { "for": inputId, "class": "cw-label" });
    ui.title = el("h2", { id: titleId, "class": "cw-title" });
    ui.notice = el("div", { "class": "cw-notice" });
    ui.form = el("form", { "class": "cw-form", novalidate: true }, [
      ui.label,
      el("div", { "class": "cw-row" }, [ui.input, ui.send]),
      ui.count, ui.countStatus, ui.hint
    ]);
    // Where the form for the recruitment team (handoff.js) goes while it is open.
    ui.handoff = el("div", { "class": "cw-handoff", hidden: true });
    ui.panel = el("section", { id: "cw-panel", "class": "cw-panel", "aria-labelledby": titleId, hidden: true }, [
      el("div", { "class": "cw-header" }, [
        ui.title,
        el("div", { "class": "cw-header-actions" }, [ui.language, ui.restart, ui.close])
      ]),
      ui.notice,
      ui.log, ui.announcer, ui.typing, ui.error, ui.handoff, ui.form
    ]);
    ui.root = el("div", { "class": "cw cw--" + config.position, hidden: true }, [ui.launcher, ui.panel]);
    ui.shadow = root;
    paint();

    // Show nothing until our stylesheet has loaded, so the page never flashes unstyled parts.
    stylesheet.addEventListener("load", function () {
      ui.root.hidden = false;
      if (state.open) scrollToLatest(); // a restored log had no size to scroll while hidden
    });
    stylesheet.addEventListener("error", function () { ui.root.hidden = false; });
    root.appendChild(stylesheet);
    root.appendChild(ui.root);

    if (state.open) showPanel(false);
    document.body.appendChild(host);
    bindEvents();
    if (state.saved) restore();
  }

  // Every word of the widget in the current language; the conversation's turns are drawn
  // again too (their labels change; what was said stays in the language it was said in).
  function paint() {
    ui.root.setAttribute("lang", langTag(state.lang));
    ui.launcherText.textContent = t("launcher");
    var other = otherLanguage();
    ui.language.textContent = strings[other]["language-name"];
    ui.language.setAttribute("lang", langTag(other));
    ui.restart.textContent = t("start-again");
    // The visible word is the start of the name (WCAG 2.5.3), the rest says what closes.
    ui.close.textContent = t("close");
    ui.close.setAttribute("aria-label", t("close-the-assistant"));
    ui.title.textContent = title();
    ui.label.textContent = t("input-label");
    ui.send.textContent = t("send");
    ui.notice.textContent = "";
    ui.notice.appendChild(el("p", {}, [t("notice") + " ", noticeLink(config.privacyUrl, "privacy-notice")]));
    ui.notice.appendChild(el("p", {}, sentence("about", {
      accessibility: noticeLink(config.accessibilityUrl, "about-accessibility"),
      workings: noticeLink(config.transparencyUrl, "about-workings"),
      accuracy: noticeLink(config.accuracyUrl, "about-accuracy")
    })));
    state.turns.forEach(function (turn) {
      var old = nodes.get(turn);
      if (old && old.parentNode) old.parentNode.replaceChild(renderTurn(turn), old);
    });
    updateHint();
    updateCount();
    if (busy) setTyping(ui.typing.textContent !== "");
    if (shownError) showError(shownError.key, shownError.retry);
  }

  // The pages about the assistant are in English: a Welsh reader is told so.
  function noticeLink(href, key) {
    var link = el("a", { href: href, "class": "cw-notice-link", text: t(key) });
    return state.lang === "en" ? link : el("span", {}, [link, " " + strings[state.lang]["in-english"]]);
  }

  function setLanguage(lang, announced) {
    if (lang === state.lang || LANGUAGES.indexOf(lang) < 0) return;
    state.lang = lang;
    saveState();
    paint();
    if (announced) {
      ui.announcer.textContent = "";
      window.setTimeout(function () { ui.announcer.textContent = t("language-switched"); }, 50);
    }
  }

  // Show the conversation so far again, without announcing it: the log is busy and silent
  // while the turns go in.
  function restore() {
    ui.log.setAttribute("aria-busy", "true");
    request("transcript", { opening: config.greeting }, function (data) {
      var restored = data.turns.map(storedTurn).filter(Boolean).slice(-MAX_TURNS);
      followConversation(restored);
      restored.forEach(function (turn) {
        state.turns.push(turn);
        ui.messages.appendChild(renderTurn(turn));
      });
      settle(true);
    }, restore, function () { settle(false); }, ERRORS.transcript);
  }

  // After a restore: a conversation with nothing stored (it expired, or was erased)
  // starts again with the greeting; one that could not be loaded waits for Retry.
  function settle(loaded) {
    state.saved = !loaded;
    ui.log.removeAttribute("aria-busy");
    updateHint();
    scrollToLatest(); // opens at the latest message, not the greeting
    if (loaded && state.open && !state.turns.length && !busy) startConversation();
  }

  function bindEvents() {
    ui.launcher.addEventListener("click", function () { openPanel(); });
    ui.close.addEventListener("click", function () { closePanel(true); });
    ui.restart.addEventListener("click", restart);
    ui.language.addEventListener("click", function () { setLanguage(otherLanguage(), true); });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendTyped();
    });
    ui.input.addEventListener("input", updateCount);
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendTyped();
      }
    });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closePanel(true);
      }
    });
    // Escape from anywhere on the page hides the panel without moving focus, so it never
    // keeps covering the part of the page a keyboard user is on (WCAG 2.4.11).
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && state.open && !event.defaultPrevented) closePanel(false);
    });
  }

  // ---- Rendering turns ------------------------------------------------------------------

  function renderTurn(turn) {
    var item = renderItem(turn);
    nodes.set(turn, item);
    return item;
  }

  function renderItem(turn) {
    if (turn.who === "user") {
      return el("li", { "class": "cw-message cw-message--user" }, [
        el("p", { "class": "cw-sender" }, said("you-said", t("you"))),
        el("div", { "class": "cw-bubble" }, [richPlain(turn.text)])
      ]);
    }
    var item = el("li", {
      "class": "cw-message cw-message--bot", "data-topic": turn.custom ? turn.custom.topic : null
    }, [
      el("p", { "class": "cw-sender" }, said("assistant-said", title()))
    ]);
    // What the assistant said is marked with the language it said it in (WCAG 3.1.2),
    // whatever language the widget's own words are in.
    var spoken = langTag(turn.lang || "en");
    var bubble = el("div", { "class": "cw-bubble", lang: turn.texts.length ? spoken : null });
    turn.texts.forEach(function (text) { bubble.appendChild(richText(text)); });
    if (!turn.texts.length) {
      bubble.appendChild(el("p", { "class": "cw-text", text: t("no-answer") }));
    }
    item.appendChild(bubble);
    var source = turn.custom && safeHref(turn.custom.source || "");
    if (source && source.indexOf("https:") === 0) {
      var checked = formatDate(turn.custom.reviewed);
      var label = turn.custom.title || new URL(source).hostname;
      var named = link(source, label);
      named.setAttribute("lang", spoken);
      item.appendChild(el("p", { "class": "cw-source" },
        sentence(checked ? "source-checked" : "source", { link: named, date: checked })));
    }
    if (turn.rateable) item.appendChild(renderFeedback(turn));
    if (turn.buttons.length) {
      item.appendChild(el("div", { "class": "cw-buttons", role: "group", "aria-label": t("suggested-questions") },
        turn.buttons.map(function (button) {
          var node = el("button", { type: "button", "class": "cw-suggestion", text: button.title, lang: spoken });
          node.addEventListener("click", function (event) {
            if (button.handoff) {
              openHandoff();
              return;
            }
            sendMessage(button.payload, button.title);
            // Pressed from the keyboard (a click with no pointer): the button is about to
            // scroll out of sight, so focus goes where the next question is typed.
            if (event.detail === 0) ui.input.focus();
          });
          return node;
        })));
    }
    return item;
  }

  // What a visitor typed is shown exactly as typed: text only, no links made from it.
  function richPlain(text) {
    var paragraph = el("p", { "class": "cw-text" });
    text.split("\n").forEach(function (line, index) {
      if (index) paragraph.appendChild(el("br"));
      paragraph.appendChild(document.createTextNode(line));
    });
    return paragraph;
  }

  function renderFeedback(turn) {
    var questionId = uid("rate");
    var up = feedbackButton(turn, "up", t("helpful"));
    var down = feedbackButton(turn, "down", t("not-helpful"));
    var ack = el("p", { "class": "cw-ack", text: turn.ack || "" });
    var group = el("div", { "class": "cw-feedback", role: "group", "aria-labelledby": questionId }, [
      el("span", { id: questionId, "class": "cw-feedback-question", text: t("rate-question") }),
      up, down
    ]);
    ratingViews.set(turn, { up: up, down: down, ack: ack });
    return el("div", { "class": "cw-rating" }, [group, ack]);
  }

  function feedbackButton(turn, rating, label) {
    var button = el("button", {
      type: "button", "class": "cw-rate cw-rate--" + rating, "aria-pressed": String(turn.rating === rating)
    }, [svgIcon(ICON_THUMB, rating === "down" ? "cw-icon--down" : null), el("span", { text: label })]);
    button.addEventListener("click", function () { rate(turn, rating); });
    return button;
  }

  // The widget speaks the language the assistant last answered in: a visitor who writes
  // in Welsh and is answered in Welsh gets the widget in Welsh. Only a language the answer
  // states counts (an assistant that does not say keeps the visitor's choice).
  function followConversation(turns) {
    var spoken = turns.filter(function (turn) { return turn.who === "bot" && turn.lang; });
    if (spoken.length) setLanguage(spoken[spoken.length - 1].lang, false);
  }

  function appendTurn(turn) {
    followConversation([turn]);
    state.turns.push(turn);
    saveState();
    var dropped = ui.messages.children.length - state.turns.length + 1;
    for (; dropped > 0; dropped -= 1) ui.messages.removeChild(ui.messages.firstChild);
    var item = renderTurn(turn);
    ui.messages.appendChild(item);
    scrollToEnd(item);
    updateHint();
    if (turn.who === "bot") announce(item);
  }

  // What a screen reader hears of a new reply: who said it and its text as shown (links
  // by their names), not its buttons.
  function announce(item) {
    var said = item.querySelector(".cw-bubble").innerText.replace(/\s+/g, " ").trim();
    ui.announcer.textContent = "";
    window.setTimeout(function () {
      ui.announcer.textContent = t("assistant-said", { name: title() }) + " " + said;
    }, 50);
  }

  function scrollToLatest() {
    var last = state.turns[state.turns.length - 1];
    scrollToEnd(last ? nodes.get(last) : null);
  }

  // The suggestions of the latest reply come before the message box in the Tab order;
  // the box's hint says how to reach them.

  function updateHint() {
    var last = state.turns[state.turns.length - 1];
    var suggested = last && last.who === "bot" && last.buttons.length > 0;
    ui.hint.textContent = t("hint") + (suggested ? " " + t("hint-suggestions") : "");
  }

  // The count of characters left, shown from NEAR_LIMIT of the limit; over the limit it
  // says by how much, and the server's refusal says the same.
  var countTimer = null;
  function updateCount() {
    var length = ui.input.value.trim().length;
    var left = config.maxLength - length;
    var near = length >= config.maxLength * NEAR_LIMIT;
    ui.count.hidden = !near;
    ui.count.className = "cw-count" + (left < 0 ? " cw-count--over" : "");
    ui.count.textContent = !near ? "" : left >= 0 ?
      t(left === 1 ? "character-left" : "characters-left", { count: left }) :
      t(left === -1 ? "character-over" : "characters-over", { count: -left });
    window.clearTimeout(countTimer);
    countTimer = window.setTimeout(function () { ui.countStatus.textContent = ui.count.textContent; }, 1000);
  }

  // The log scrolls inside the panel; on a very short screen the whole panel scrolls instead.
  // An answer taller than the log is shown from its first line, not its last.
  function scrollToEnd(item) {
    var tall = item && item.offsetHeight > ui.log.clientHeight;
    ui.log.scrollTop = tall ? item.offsetTop - 8 : ui.log.scrollHeight;
    if (window.getComputedStyle(ui.panel).overflowY !== "auto") return;
    // Whole-panel scrolling (400% zoom): start a new answer at its top, it will not fit anyway.
    var start = item && item.classList.contains("cw-message--bot") ?
      item.getBoundingClientRect().top - ui.panel.getBoundingClientRect().top + ui.panel.scrollTop - 8 :
      ui.panel.scrollHeight;
    ui.panel.scrollTop = start;
  }

  // ---- Opening, closing, restarting ---------------------------------------------------

  function showPanel(persist) {
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    if (persist) saveState();
  }

  function openPanel() {
    showPanel(true);
    scrollToLatest();
    ui.input.focus();
    if (!state.turns.length && !busy && !state.saved) startConversation();
  }

  function closePanel(returnFocus) {
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    if (returnFocus) ui.launcher.focus();
  }

  function restart() {
    generation += 1;
    busy = false;
    state = { id: newConversationId(), open: true, turns: [], saved: false, lang: state.lang };
    saveState();
    if (!ui.handoff.hidden) closeHandoff();
    ui.messages.textContent = "";
    setTyping(false);
    clearError();
    ui.input.focus();
    startConversation();
  }

  function startConversation() {
    request("messages", { message: config.greeting }, function (data) {
      appendTurn(botTurn(data.messages, false));
    }, startConversation);
  }

  // ---- Sending -------------------------------------------------------------------------

  function sendTyped() {
    var text = ui.input.value.trim();
    if (!text) {
      showError(ERRORS.empty_message, null);
      ui.input.focus();
      return;
    }
    if (text.length > config.maxLength) {
      // Said at once, and nothing is lost: the text stays in the box to be shortened.
      showError(ERRORS.message_too_long, null);
      ui.input.focus();
      return;
    }
    sendMessage(text, text, true);
  }

  function sendMessage(payload, shownText, typed) {
    if (busy) return;
    clearError();
    if (typed) {
      ui.input.value = "";
      updateCount();
    }
    var userTurn = { who: "user", text: shownText };
    appendTurn(userTurn);
    request("messages", { message: payload }, function (data) {
      appendTurn(botTurn(data.messages, true));
    }, function () {
      // A typed message is back in the box (perhaps edited since); a button is sent again.
      if (typed) sendTyped();
      else sendMessage(payload, shownText, false);
    }, function () {
      // Not answered: take the visitor's words back out of the log and into the box.
      removeTurn(userTurn);
      if (typed && !ui.input.value) ui.input.value = shownText;
      updateCount();
    });
  }

  function rate(turn, rating) {
    if (busy || turn.rating === rating) return;
    clearError();
    request("feedback", { topic: turn.custom.topic, rating: rating }, function (data) {
      var reply = botTurn(data.messages, false);
      turn.rating = rating;
      turn.ack = reply.texts[0] || t("thanks");
      // After "not helpful", the offer to send the question to the recruitment team follows.
      if (reply.texts.length > 1 || reply.buttons.length) {
        appendTurn({ who: "bot", texts: reply.texts.slice(1), buttons: reply.buttons, custom: null,
          rateable: false, rating: null, ack: null });
      }
      var view = ratingViews.get(turn);
      if (view) {
        view.up.setAttribute("aria-pressed", String(rating === "up"));
        view.down.setAttribute("aria-pressed", String(rating === "down"));
        view.ack.textContent = turn.ack;
      }
    }, function () { rate(turn, rating); }, null, ERRORS.feedback);
  }

  function removeTurn(turn) {
    var index = state.turns.indexOf(turn);
    if (index < 0) return;
    state.turns.splice(index, 1);
    saveState();
    var node = nodes.get(turn);
    if (node && node.parentNode) node.parentNode.removeChild(node);
  }

  // One call to the web app, with the conversation id in the body (never in the address,
  // which access logs keep). `retry` is offered when the assistant could not be reached.
  function request(kind, body, onSuccess, retry, onFailure, failureText) {
    var mine = generation;
    busy = true;
    setTyping(kind === "messages");
    body.conversation = state.id;
    // The language the visitor chose goes with every message, for the assistant to answer in.
    if (kind !== "transcript") body.metadata = { lang: state.lang };
    fetch(config.server + "/api/" + kind, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data || {} };
      });
    }).then(function (result) {
      if (mine !== generation) return;
      busy = false;
      setTyping(false);
      if (result.ok && Array.isArray(result.data[ANSWER_FIELD[kind]])) {
        onSuccess(result.data);
        return;
      }
      if (onFailure) onFailure();
      var code = result.data.error;
      var temporary = result.status >= 500 || !ERRORS[code];
      if (code === "message_too_long" && typeof result.data.limit === "number" && result.data.limit > 0) {
        config.maxLength = result.data.limit; // the server's limit is the one that counts
        updateCount();
      }
      showError(temporary ? failureText || ERRORS.unavailable : ERRORS[code], temporary ? retry : null);
    }).catch(function () {
      if (mine !== generation) return;
      busy = false;
      setTyping(false);
      if (onFailure) onFailure();
      showError(failureText || ERRORS.offline, retry);
    });
  }

  // ---- Status and errors -----------------------------------------------------------------

  function setTyping(on) {
    ui.typing.textContent = "";
    if (on) {
      ui.typing.appendChild(document.createTextNode(t("typing", { name: title() })));
      ui.typing.appendChild(el("span", { "class": "cw-dots", "aria-hidden": "true" }, [
        el("span", { text: "." }), el("span", { text: "." }), el("span", { text: "." })
      ]));
    }
  }

  // `key` names the words (ERRORS); they are shown again in the other language on a switch.
  function showError(key, retry) {
    clearError();
    retryAction = retry;
    shownError = { key: key, retry: retry };
    var children = [el("p", { "class": "cw-error-text", text: t(key, { limit: config.maxLength }) })];
    if (retry) {
      var button = el("button", { type: "button", "class": "cw-retry", text: t("retry") });
      button.addEventListener("click", function () {
        var action = retryAction;
        clearError();
        ui.input.focus(); // the Retry button is about to go; do not leave focus nowhere
        if (action) action();
      });
      children.push(button);
    }
    children.forEach(function (child) { ui.error.appendChild(child); });
  }

  function clearError() {
    retryAction = null;
    shownError = null;
    var hadFocus = ui.shadow.activeElement && ui.error.contains(ui.shadow.activeElement);
    ui.error.textContent = "";
    if (hadFocus) ui.input.focus();
  }

  // ---- The form that sends the question to the recruitment team (handoff.js) -------------

  function openHandoff() {
    if (window.cpsCareersHandoff) {
      showHandoff();
      return;
    }
    var script = document.createElement("script");
    script.src = config.server + "/widget/handoff.js";
    script.addEventListener("load", showHandoff);
    script.addEventListener("error", function () {
      script.parentNode.removeChild(script);
      showError(ERRORS.handoff, openHandoff);
    });
    document.head.appendChild(script);
  }

  // The form takes the place of the conversation until it is sent or cancelled.
  function showHandoff() {
    clearError();
    ui.log.hidden = ui.form.hidden = true;
    ui.handoff.hidden = false;
    window.cpsCareersHandoff.mount(ui.handoff, {
      server: config.server, conversation: state.id, privacyUrl: config.privacyUrl,
      question: window.cpsCareersHandoff.lastUnanswered(state.turns.map(handoffTurn)),
      headingLevel: 3, focus: true, onClose: closeHandoff,
      words: Object.assign({}, strings.en, strings[state.lang])
    });
  }

  function handoffTurn(turn) {
    if (turn.who === "user") return turn;
    return { who: "bot", rating: turn.rating, messages: [{ custom: turn.custom }] };
  }

  function closeHandoff() {
    ui.handoff.hidden = true;
    ui.handoff.textContent = "";
    ui.log.hidden = ui.form.hidden = false;
    scrollToEnd();
    ui.input.focus();
  }

  // A small API for host pages, e.g. a "Chat with us" link that opens the panel.
  window.cpsCareersAssistant = {
    open: function () { openPanel(); },
    close: function () { closePanel(true); }
  };

  // The widget's words first (GET /api/strings); without them there is nothing to show,
  // so a failure is tried again a few times, then left to the next page.
  function loadStrings(attempt) {
    fetch(config.server + "/api/strings", { credentials: "omit" }).then(function (response) {
      return response.ok ? response.json() : Promise.reject(new Error("HTTP " + response.status));
    }).then(function (data) {
      var complete = LANGUAGES.every(function (lang) {
        return data && data[lang] && typeof data[lang].launcher === "string";
      });
      if (!complete) throw new Error("incomplete strings");
      strings = data;
      if (document.body) build();
      else document.addEventListener("DOMContentLoaded", build);
    }).catch(function () {
      if (attempt < 3) window.setTimeout(function () { loadStrings(attempt + 1); }, 2000 * (attempt + 1));
    });
  }

  loadStrings(0);
})();
