/*
 * The form that sends a visitor's question to the CPS recruitment team, who reply by email.
 *
 * One module for every place the form appears: the widget loads it when the visitor selects
 * "Send your question to the recruitment team" and mounts it inside its panel; the page
 * /ask-the-recruitment-team (the link the REST channel's button gives) mounts it into
 * #handoff-form, reading the conversation id from the address's fragment.
 *
 *   window.cpsCareersHandoff.mount(container, {
 *     server: "https://ASSISTANT", conversation: "id" or null, question: "prefilled text",
 *     privacyUrl: "...", headingLevel: 2 or 3, focus: true (move focus to the form),
 *     onClose: function () {...} (adds "Cancel"),
 *     words: {...} (the widget's strings in the visitor's language, GET /api/strings)
 *   });
 *
 * Its words are the knowledge file's `widget-handoff-` labels; the page asks for them in
 * the language of the page (<html lang>), the widget gives its own.
 *
 * As in the widget, nothing typed or received is parsed as HTML: text goes into text nodes.
 * What the visitor typed stays in the form whatever goes wrong.
 */
(function () {
  "use strict";

  if (window.cpsCareersHandoff) return;

  var counter = 0;

  // One of the form's strings ("handoff-" + key) with its {placeholders} filled in.
  function say(words, key, values) {
    var text = words["handoff-" + key] || "";
    return text.replace(/\{([a-z]+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data || {} };
      });
    });
  }

  function getTerms(server) {
    return fetch(server + "/api/requests/terms", { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("terms");
        return response.json();
      });
  }

  // The same checks as the server's, so most mistakes are shown at once.
  var EMAIL = /^[^@\s<>(),;:"[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

  function check(values, terms, words) {
    var errors = {};
    if (!values.question) errors.question = say(words, "question-missing");
    else if (values.question.length > terms.max_question_chars) {
      errors.question = say(words, "question-too-long", { limit: terms.max_question_chars });
    }
    if (!values.email) errors.email = say(words, "email-missing");
    else if (values.email.length > 254 || !EMAIL.test(values.email)) {
      errors.email = say(words, "email-format");
    }
    if (!values.consent) errors.consent = say(words, "consent-missing");
    return errors;
  }

  function mount(container, options) {
    counter += 1;
    var prefix = "hf-" + counter + "-";
    var server = options.server;
    var level = options.headingLevel === 2 ? "h2" : "h3";
    var words = options.words;
    function t(key, values) { return say(words, key, values); }
    container.textContent = "";
    container.appendChild(make("link", { rel: "stylesheet", href: server + "/widget/handoff.css" }));
    var root = make("div", { "class": "hf" });
    container.appendChild(root);
    var status = make("p", { "class": "hf-status", role: "status", text: t("loading") });
    root.appendChild(status);

    function load() {
      getTerms(server).then(function (terms) {
        root.removeChild(status);
        build(root, terms);
      }).catch(function () {
        status.textContent = "";
        status.appendChild(document.createTextNode(t("load-failed") + " "));
        var retry = make("button", { type: "button", "class": "hf-button hf-button--secondary", text: t("try-again") });
        retry.addEventListener("click", function () {
          status.textContent = t("loading");
          load();
        });
        status.appendChild(retry);
        if (options.onClose) status.appendChild(closeButton(t("cancel")));
      });
    }

    function closeButton(label) {
      var button = make("button", { type: "button", "class": "hf-button hf-button--secondary", text: label });
      button.addEventListener("click", function () { options.onClose(); });
      return button;
    }

    function field(name, label, hint, control) {
      var hintId = prefix + name + "-hint";
      control.setAttribute("id", prefix + name);
      control.setAttribute("aria-describedby", hintId);
      return make("div", { "class": "hf-field", "data-field": name }, [
        make("label", { "for": prefix + name, "class": "hf-label", text: label }),
        make("p", { id: hintId, "class": "hf-hint", text: hint }),
        control
      ]);
    }

    function build(root, terms) {
      var heading = make(level, { "class": "hf-heading", tabindex: "-1", text: t("heading") });
      var summary = make("div", { "class": "hf-summary", tabindex: "-1", hidden: true });
      var alert = make("div", { role: "alert", "class": "hf-alert" });
      var question = make("textarea", { name: "question", rows: "4", "class": "hf-input", spellcheck: "true" });
      question.value = (options.question || "").slice(0, terms.max_question_chars);
      var email = make("input", {
        name: "email", type: "email", autocomplete: "email", spellcheck: "false", "class": "hf-input"
      });
      var consent = make("input", { name: "consent", type: "checkbox", "class": "hf-checkbox", id: prefix + "consent" });
      var consentText = t("consent", { days: terms.retention_days });
      var consentBlock = make("div", { "class": "hf-field hf-consent", "data-field": "consent" }, [
        make("div", { "class": "hf-check" }, [
          consent, make("label", { "for": prefix + "consent", "class": "hf-check-label", text: consentText })
        ])
      ]);
      // People never see this field; bots that fill in every field do.
      var trap = make("input", { name: "website", type: "text", tabindex: "-1", autocomplete: "off", id: prefix + "website" });
      var trapBlock = make("div", { "class": "hf-trap", "aria-hidden": "true" }, [
        make("label", { "for": prefix + "website", text: t("trap") }), trap
      ]);
      var send = make("button", { type: "submit", "class": "hf-button", text: t("send") });
      var form = make("form", { "class": "hf-form", novalidate: true }, [
        field("question", t("question-label"), t("question-hint"), question),
        field("email", t("email-label"), t("email-hint"), email),
        consentBlock,
        trapBlock,
        make("div", { "class": "hf-actions" }, [send, options.onClose ? closeButton(t("cancel")) : null])
      ]);
      var privacy = options.privacyUrl || server + "/privacy#contact";
      root.appendChild(heading);
      root.appendChild(make("p", { "class": "hf-text" }, [
        t("intro", { days: terms.reply_days }) + " ",
        make("a", { href: privacy, text: t("privacy") })
      ]));
      root.appendChild(summary);
      root.appendChild(alert);
      root.appendChild(form);
      if (options.focus) heading.focus();

      var controls = { question: question, email: email, consent: consent };
      var sending = false;

      function values() {
        return {
          question: question.value.trim(),
          email: email.value.trim(),
          consent: consent.checked
        };
      }

      function clearErrors() {
        summary.hidden = true;
        summary.textContent = "";
        alert.textContent = "";
        Object.keys(controls).forEach(function (name) {
          var control = controls[name];
          var block = form.querySelector('[data-field="' + name + '"]');
          var old = block.querySelector(".hf-error");
          if (old) block.removeChild(old);
          control.removeAttribute("aria-invalid");
          var hint = name === "consent" ? null : prefix + name + "-hint";
          if (hint) control.setAttribute("aria-describedby", hint);
          else control.removeAttribute("aria-describedby");
          block.classList.remove("hf-field--error");
        });
      }

      // GOV.UK's pattern: a summary that links to each field, and the message by the field.
      function showErrors(errors) {
        clearErrors();
        var names = Object.keys(controls).filter(function (name) { return errors[name]; });
        var list = make("ul", { "class": "hf-summary-list" });
        names.forEach(function (name) {
          var control = controls[name];
          var block = form.querySelector('[data-field="' + name + '"]');
          var errorId = prefix + name + "-error";
          var message = make("p", { id: errorId, "class": "hf-error" }, [
            make("span", { "class": "hf-visually-hidden", text: t("error") + " " }), errors[name]
          ]);
          block.insertBefore(message, name === "consent" ? block.firstChild : control);
          block.classList.add("hf-field--error");
          control.setAttribute("aria-invalid", "true");
          var described = control.getAttribute("aria-describedby");
          control.setAttribute("aria-describedby", (described ? described + " " : "") + errorId);
          var jump = make("a", { href: "#" + prefix + name, text: errors[name] });
          jump.addEventListener("click", function (event) {
            event.preventDefault();
            control.focus();
          });
          list.appendChild(make("li", {}, [jump]));
        });
        var summaryLevel = level === "h2" ? "h3" : "h4";
        summary.appendChild(make(summaryLevel, { "class": "hf-summary-title", text: t("problem") }));
        summary.appendChild(list);
        summary.hidden = false;
        summary.focus();
      }

      function showFailure(text) {
        clearErrors();
        alert.appendChild(make("p", { "class": "hf-failure", text: text }));
      }

      function confirm(replyDays) {
        root.textContent = "";
        var done = make(level, { "class": "hf-heading", tabindex: "-1", text: t("sent") });
        root.appendChild(done);
        root.appendChild(make("p", { "class": "hf-text", text: t("sent-reply", { days: replyDays }) }));
        root.appendChild(make("p", { "class": "hf-text", text: t("sent-spam") }));
        if (options.onClose) root.appendChild(closeButton(t("back")));
        done.focus();
      }

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (sending) return;
        var typed = values();
        var errors = check(typed, terms, words);
        if (Object.keys(errors).length) {
          showErrors(errors);
          return;
        }
        sending = true;
        send.setAttribute("aria-disabled", "true");
        post(server + "/api/requests", {
          conversation: options.conversation || null,
          question: typed.question,
          email: typed.email,
          consent: typed.consent,
          website: trap.value
        }).then(function (result) {
          sending = false;
          send.removeAttribute("aria-disabled");
          if (result.status === 201) confirm(result.data.reply_days || terms.reply_days);
          else if (result.data.fields) showErrors(result.data.fields);
          else if (result.status === 429 && result.data.reason) showFailure(String(result.data.reason));
          else showFailure(t("failed"));
        }).catch(function () {
          sending = false;
          send.removeAttribute("aria-disabled");
          showFailure(t("failed"));
        });
      });
    }

    load();
  }

  // The last question the assistant could not answer, from the stored (redacted) transcript.
  function lastUnanswered(turns) {
    var question = "";
    (turns || []).forEach(function (turn, index) {
      var next = turns[index + 1];
      if (!turn || turn.who !== "user" || !next || !Array.isArray(next.messages)) return;
      var missed = next.rating === "down" || next.messages.some(function (message) {
        return message && message.custom && message.custom.topic === "fallback";
      });
      if (missed && typeof turn.text === "string") question = turn.text;
    });
    return question;
  }

  // The form's words in the page's language (Welsh on a page marked lang="cy").
  function pageWords(server) {
    var lang = /^cy(-|$)/i.test(document.documentElement.lang || "") ? "cy" : "en";
    return fetch(server + "/api/strings", { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("strings");
      return response.json();
    }).then(function (strings) {
      return Object.assign({}, strings.en, strings[lang]);
    });
  }

  function mountPage(container) {
    var server = container.getAttribute("data-server") || window.location.origin;
    var match = /(?:^#|&)conversation=([A-Za-z0-9_-]{16,64})(?:&|$)/.exec(window.location.hash);
    var conversation = match ? match[1] : null;
    var options = {
      server: server, conversation: conversation, question: "", headingLevel: 2,
      privacyUrl: container.getAttribute("data-privacy") || null, // the page's own notice
    };
    var asked = !conversation ? Promise.resolve() :
      post(server + "/api/transcript", { conversation: conversation }).then(function (result) {
        options.question = result.status === 200 ? lastUnanswered(result.data.turns) : "";
      }).catch(function () { /* the visitor types the question instead */ });
    // Without its words there is no form to show; the page's own text (noscript) stays.
    Promise.all([pageWords(server), asked]).then(function (ready) {
      options.words = ready[0];
      mount(container, options);
    }).catch(function () {});
  }

  window.cpsCareersHandoff = { mount: mount, lastUnanswered: lastUnanswered };

  function start() {
    var container = document.getElementById("handoff-form");
    if (container) mountPage(container);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
