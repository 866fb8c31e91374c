/*
 * Stand-in for Stripe.js v3, served by gigalixir-sim at /__sim/stripe/v3/.
 *
 * It covers what the console uses: Stripe(pk).elements().create('card') with mount, events
 * and the usual element methods, and stripe.createToken(card, data). Unlike the real card
 * element (an iframe), this one builds three labelled inputs inside the host's mount node,
 * styled through the CSSOM with the host's colour variables (the console's stylesheet
 * ships nothing for a stand-in), and the host's <form> sees Enter. Tokens come from the simulator's POST /__sim/stripe/v1/tokens on the origin this
 * script was loaded from.
 *
 * It runs under a strict CSP: no eval, no inline handlers, no style attributes or <style>
 * elements (styles are set property by property, which CSP allows), and no markup built
 * from strings (only createElement and textContent).
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var ORIGIN = (function () {
    try {
      return new URL(script && script.src ? script.src : window.location.href).origin;
    } catch (e) {
      return window.location.origin;
    }
  })();
  var TOKENS_URL = ORIGIN + '/__sim/stripe/v1/tokens';
  var FIELDS = ['number', 'expiry', 'cvc'];
  var nextId = 0;

  var MESSAGES = {
    incomplete_number: 'Your card number is incomplete.',
    invalid_number: 'Your card number is invalid.',
    incomplete_expiry: "Your card's expiration date is incomplete.",
    invalid_expiry_month: "Your card's expiration date is invalid.",
    invalid_expiry_year_past: "Your card's expiration year is in the past.",
    invalid_expiry_month_past: "Your card's expiration date is in the past.",
    invalid_expiry_year: "Your card's expiration year is invalid.",
    incomplete_cvc: "Your card's security code is incomplete."
  };

  function integrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function digitsOf(text) {
    return String(text || '').replace(/\D/g, '');
  }

  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function prefixIn(digits, length, low, high) {
    if (digits.length < length) return false;
    var p = parseInt(digits.slice(0, length), 10);
    return p >= low && p <= high;
  }

  // Stripe.js's lower-case brand names, from the leading digits.
  function brandOf(digits) {
    if (prefixIn(digits, 2, 34, 34) || prefixIn(digits, 2, 37, 37)) return 'amex';
    if (digits.charAt(0) === '4') return 'visa';
    if (prefixIn(digits, 2, 51, 55) || prefixIn(digits, 4, 2221, 2720)) return 'mastercard';
    if (prefixIn(digits, 4, 6011, 6011) || prefixIn(digits, 3, 644, 649) || prefixIn(digits, 2, 65, 65)) return 'discover';
    if (prefixIn(digits, 3, 300, 305) || prefixIn(digits, 2, 36, 36) || prefixIn(digits, 2, 38, 39)) return 'diners';
    if (prefixIn(digits, 4, 3528, 3589)) return 'jcb';
    if (prefixIn(digits, 2, 62, 62)) return 'unionpay';
    return 'unknown';
  }

  // Card number lengths that count as complete, per brand.
  function lengthsOf(brand, digits) {
    if (brand === 'amex') return [15];
    if (brand === 'diners') return digits.slice(0, 2) === '36' ? [14] : [16];
    if (brand === 'unionpay') return [16, 17, 18, 19];
    return [16];
  }

  function maxLength(brand, digits) {
    var lengths = lengthsOf(brand, digits);
    return lengths[lengths.length - 1];
  }

  function cvcLength(brand) {
    return brand === 'amex' ? 4 : 3;
  }

  // Longest CVC to accept while typing: four only where a card may have four.
  function cvcMax(brand) {
    return brand === 'amex' || brand === 'unknown' ? 4 : 3;
  }

  function groupsOfFour(digits) {
    return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
  }

  // Reads "MM / YY" (or a pasted "MM/YYYY") as {month, year} strings of digits.
  function parseExpiry(text) {
    var raw = String(text || '');
    var parts = raw.split('/');
    if (parts.length === 2) {
      var month = digitsOf(parts[0]).slice(0, 2);
      if (month.length === 1 && digitsOf(parts[1]).length > 0) month = '0' + month;
      var year = digitsOf(parts[1]);
      if (year.length === 4) year = year.slice(2);
      return { month: month, year: year.slice(0, 2) };
    }
    var digits = digitsOf(raw);
    // A first digit above 1 can only be a one-digit month.
    if (digits.length > 0 && digits.charAt(0) > '1') digits = '0' + digits;
    return { month: digits.slice(0, 2), year: digits.slice(2, 4) };
  }

  function formatExpiry(expiry, deleting) {
    if (expiry.year.length > 0) return expiry.month + ' / ' + expiry.year;
    if (expiry.month.length === 2 && !deleting) return expiry.month + ' / ';
    return expiry.month;
  }

  // The state of each field: empty, complete, and an error code (null when none). `clear`
  // marks errors that show at once; others show only after the field was left.
  function fieldStates(values) {
    var now = new Date();
    var thisYear = now.getFullYear() % 100;
    var thisMonth = now.getMonth() + 1;
    var digits = digitsOf(values.number);
    var brand = brandOf(digits);
    var states = {};

    var lengths = lengthsOf(brand, digits);
    var numberComplete = lengths.indexOf(digits.length) >= 0 && luhn(digits);
    var numberError = null;
    var numberClear = false;
    if (digits.length >= maxLength(brand, digits) && !luhn(digits)) {
      numberError = 'invalid_number';
      numberClear = true;
    } else if (!numberComplete) {
      numberError = 'incomplete_number';
    }
    states.number = { empty: digits.length === 0, complete: numberComplete, error: numberError, clear: numberClear };

    var expiry = parseExpiry(values.expiry);
    var expiryError = null;
    var expiryClear = false;
    var month = parseInt(expiry.month, 10);
    var year = parseInt(expiry.year, 10);
    if (expiry.month.length === 2 && (month < 1 || month > 12)) {
      expiryError = 'invalid_expiry_month';
      expiryClear = true;
    } else if (expiry.month.length < 2 || expiry.year.length < 2) {
      expiryError = 'incomplete_expiry';
    } else if (year < thisYear) {
      expiryError = 'invalid_expiry_year_past';
      expiryClear = true;
    } else if (year === thisYear && month < thisMonth) {
      expiryError = 'invalid_expiry_month_past';
      expiryClear = true;
    } else if (year > thisYear + 50) {
      expiryError = 'invalid_expiry_year';
      expiryClear = true;
    }
    states.expiry = {
      empty: expiry.month.length === 0 && expiry.year.length === 0,
      complete: expiryError === null,
      error: expiryError,
      clear: expiryClear
    };

    var cvc = digitsOf(values.cvc);
    var cvcComplete = cvc.length === cvcLength(brand) || (brand === 'unknown' && cvc.length === 4);
    states.cvc = {
      empty: cvc.length === 0,
      complete: cvcComplete,
      error: cvcComplete ? null : 'incomplete_cvc',
      clear: false
    };
    return { brand: brand, fields: states };
  }

  function errorObject(code) {
    return { type: 'validation_error', code: code, message: MESSAGES[code] };
  }

  function CardElement(group, options) {
    this._group = group;
    this._options = options || {};
    this._handlers = {};
    this._values = { number: '', expiry: '', cvc: '' };
    this._left = { number: false, expiry: false, cvc: false };
    this._container = null;
    this._wrapper = null;
    this._inputs = null;
    this._focused = false;
    this._destroyed = false;
    this._lastChange = null;
    this._listeners = [];
  }

  CardElement.prototype._emit = function (event, payload) {
    var handlers = (this._handlers[event] || []).slice();
    for (var i = 0; i < handlers.length; i++) {
      try {
        handlers[i](payload);
      } catch (e) {
        // A failing host handler must not stop the others, as with DOM events.
        setTimeout(function () { throw e; }, 0);
      }
    }
  };

  CardElement.prototype._checkAlive = function () {
    if (this._destroyed) throw integrationError('This Element has already been destroyed. Please create a new one.');
  };

  // The one error the element reports: the first field (in reading order) whose error shows.
  CardElement.prototype._summary = function (forceErrors) {
    var state = fieldStates(this._values);
    var error;
    var shown = {};
    for (var i = 0; i < FIELDS.length; i++) {
      var name = FIELDS[i];
      var field = state.fields[name];
      var show = field.error !== null && (forceErrors || field.clear || (this._left[name] && !field.empty));
      shown[name] = show;
      if (show && !error) error = errorObject(field.error);
    }
    var empty = true;
    var complete = true;
    for (var j = 0; j < FIELDS.length; j++) {
      empty = empty && state.fields[FIELDS[j]].empty;
      complete = complete && state.fields[FIELDS[j]].complete;
    }
    return { brand: state.brand, empty: empty, complete: complete, error: error, shown: shown, fields: state.fields };
  };

  CardElement.prototype._render = function (summary) {
    if (this._inputs) {
      for (var i = 0; i < FIELDS.length; i++) {
        var input = this._inputs[FIELDS[i]];
        if (summary.shown[FIELDS[i]]) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
      this._inputs.cvc.maxLength = cvcMax(summary.brand);
    }
    var node = this._container;
    if (!node) return;
    var flags = {
      'StripeElement--empty': summary.empty,
      'StripeElement--complete': summary.complete,
      'StripeElement--invalid': !!summary.error,
      'StripeElement--focus': this._focused
    };
    for (var name in flags) {
      if (Object.prototype.hasOwnProperty.call(flags, name)) node.classList.toggle(name, flags[name]);
    }
  };

  CardElement.prototype._change = function (always) {
    var summary = this._summary(false);
    this._render(summary);
    var event = {
      elementType: 'card',
      empty: summary.empty,
      complete: summary.complete,
      brand: summary.brand,
      error: summary.error
    };
    var key = JSON.stringify([event.empty, event.complete, event.brand, event.error && event.error.code]);
    if (always || key !== this._lastChange) {
      this._lastChange = key;
      this._emit('change', event);
    }
  };

  CardElement.prototype._listen = function (target, type, handler) {
    target.addEventListener(type, handler);
    this._listeners.push([target, type, handler]);
  };

  // Property by property: the CSSOM is not an inline style as far as CSP is concerned.
  function styled(el, props) {
    Object.keys(props).forEach(function (name) { el.style[name] = props[name]; });
  }

  CardElement.prototype._build = function () {
    var self = this;
    var doc = document;
    var base;
    do {
      nextId += 1;
      base = 'sim-stripe-' + nextId;
    } while (doc.getElementById(base + '-number'));

    var wrapper = doc.createElement('div');
    wrapper.className = 'sim-stripe-card';
    styled(wrapper, { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '.5rem .75rem' });
    var specs = [
      { name: 'number', label: 'Card number', autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', maxLength: 23 },
      { name: 'expiry', label: 'Expiry (MM / YY)', autocomplete: 'cc-exp', placeholder: 'MM / YY', maxLength: 7 },
      { name: 'cvc', label: 'CVC', autocomplete: 'cc-csc', placeholder: 'CVC', maxLength: 4 }
    ];
    var inputs = {};
    specs.forEach(function (spec) {
      var field = doc.createElement('div');
      field.className = 'sim-stripe-field sim-stripe-field--' + spec.name;
      styled(field, { display: 'flex', flexDirection: 'column', gap: '.25rem', minWidth: '0' });
      if (spec.name === 'number') field.style.gridColumn = '1 / -1';
      var label = doc.createElement('label');
      label.className = 'sim-stripe-label';
      styled(label, { fontWeight: '500', fontSize: '.85rem', color: 'var(--muted)' });
      label.htmlFor = base + '-' + spec.name;
      label.textContent = spec.label;
      var input = doc.createElement('input');
      input.className = 'sim-stripe-input';
      styled(input, {
        width: '100%', minHeight: '2.75rem', padding: '.55rem .6rem', font: 'inherit', color: 'var(--text)',
        background: 'var(--surface)', border: '1px solid var(--muted)', borderRadius: '8px'
      });
      input.id = base + '-' + spec.name;
      input.name = base + '-' + spec.name;
      input.type = 'text';
      input.inputMode = 'numeric';
      input.setAttribute('inputmode', 'numeric');
      input.autocomplete = spec.autocomplete;
      input.setAttribute('autocomplete', spec.autocomplete);
      input.setAttribute('autocorrect', 'off');
      input.spellcheck = false;
      input.placeholder = spec.placeholder;
      input.maxLength = spec.maxLength;
      input.value = self._values[spec.name];
      input.disabled = !!self._options.disabled;
      field.appendChild(label);
      field.appendChild(input);
      wrapper.appendChild(field);
      inputs[spec.name] = input;
    });

    this._listen(inputs.number, 'input', function () {
      var input = inputs.number;
      var caretDigits = digitsOf(input.value.slice(0, input.selectionStart || 0)).length;
      var digits = digitsOf(input.value);
      var brand = brandOf(digits);
      digits = digits.slice(0, maxLength(brand, digits));
      var formatted = groupsOfFour(digits);
      input.value = formatted;
      // Put the caret back after the same number of digits it followed before formatting.
      var caret = 0;
      var seen = 0;
      while (caret < formatted.length && seen < caretDigits) {
        if (formatted.charAt(caret) !== ' ') seen += 1;
        caret += 1;
      }
      if (doc.activeElement === input) input.setSelectionRange(caret, caret);
      self._values.number = formatted;
      self._left.number = false;
      // A brand with shorter codes cuts a CVC typed for a longer one.
      var cvc = self._values.cvc.slice(0, cvcMax(brand));
      if (cvc !== self._values.cvc) {
        self._values.cvc = cvc;
        inputs.cvc.value = cvc;
      }
      self._change(true);
    });
    this._listen(inputs.expiry, 'input', function (event) {
      var input = inputs.expiry;
      var deleting = !!(event && event.inputType && event.inputType.indexOf('delete') === 0);
      var formatted = formatExpiry(parseExpiry(input.value), deleting);
      if (formatted !== input.value) input.value = formatted;
      self._values.expiry = formatted;
      self._left.expiry = false;
      self._change(true);
    });
    this._listen(inputs.cvc, 'input', function () {
      var input = inputs.cvc;
      var digits = digitsOf(input.value).slice(0, cvcMax(brandOf(digitsOf(self._values.number))));
      if (digits !== input.value) input.value = digits;
      self._values.cvc = digits;
      self._left.cvc = false;
      self._change(true);
    });
    FIELDS.forEach(function (name) {
      self._listen(inputs[name], 'blur', function () {
        self._left[name] = true;
        self._change(false);
      });
    });
    this._listen(wrapper, 'focusin', function () {
      if (!self._focused) {
        self._focused = true;
        self._render(self._summary(false));
        self._emit('focus', { elementType: 'card' });
      }
    });
    this._listen(wrapper, 'focusout', function (event) {
      var next = event.relatedTarget;
      if (next && wrapper.contains(next)) return;
      self._focused = false;
      self._render(self._summary(false));
      self._emit('blur', { elementType: 'card' });
    });

    this._wrapper = wrapper;
    this._inputs = inputs;
    return wrapper;
  };

  CardElement.prototype.mount = function (target) {
    this._checkAlive();
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || typeof node.appendChild !== 'function') {
      throw integrationError('The selector you specified (' + String(target) + ') applies to no DOM elements that are currently on the page.');
    }
    if (this._container) {
      throw integrationError('This Element is already mounted. Use `unmount()` before mounting it again.');
    }
    this._container = node;
    node.classList.add('StripeElement');
    node.appendChild(this._build());
    this._render(this._summary(false));
    var self = this;
    setTimeout(function () {
      if (self._container === node) self._emit('ready', { elementType: 'card' });
    }, 0);
    return this;
  };

  CardElement.prototype.unmount = function () {
    this._checkAlive();
    for (var i = 0; i < this._listeners.length; i++) {
      var l = this._listeners[i];
      l[0].removeEventListener(l[1], l[2]);
    }
    this._listeners = [];
    if (this._wrapper && this._wrapper.parentNode) this._wrapper.parentNode.removeChild(this._wrapper);
    if (this._container) {
      this._container.classList.remove(
        'StripeElement', 'StripeElement--empty', 'StripeElement--complete',
        'StripeElement--invalid', 'StripeElement--focus'
      );
    }
    this._container = null;
    this._wrapper = null;
    this._inputs = null;
    this._focused = false;
    return this;
  };

  CardElement.prototype.destroy = function () {
    if (this._destroyed) return this;
    this.unmount();
    this._destroyed = true;
    this._handlers = {};
    this._group._forget(this);
    return this;
  };

  CardElement.prototype.on = function (event, handler) {
    if (typeof handler !== 'function') throw integrationError('The handler for `' + event + '` must be a function.');
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };

  CardElement.prototype.addEventListener = CardElement.prototype.on;

  CardElement.prototype.off = function (event, handler) {
    var handlers = this._handlers[event];
    if (!handlers) return this;
    if (handler === undefined) {
      delete this._handlers[event];
    } else {
      this._handlers[event] = handlers.filter(function (h) { return h !== handler; });
    }
    return this;
  };

  CardElement.prototype.removeEventListener = CardElement.prototype.off;

  CardElement.prototype.focus = function () {
    this._checkAlive();
    if (this._inputs) this._inputs.number.focus();
    return this;
  };

  CardElement.prototype.blur = function () {
    this._checkAlive();
    var active = document.activeElement;
    if (this._wrapper && active && this._wrapper.contains(active)) active.blur();
    return this;
  };

  CardElement.prototype.clear = function () {
    this._checkAlive();
    this._values = { number: '', expiry: '', cvc: '' };
    this._left = { number: false, expiry: false, cvc: false };
    if (this._inputs) {
      for (var i = 0; i < FIELDS.length; i++) this._inputs[FIELDS[i]].value = '';
    }
    this._change(true);
    return this;
  };

  CardElement.prototype.update = function (options) {
    this._checkAlive();
    options = options || {};
    for (var name in options) {
      if (Object.prototype.hasOwnProperty.call(options, name)) this._options[name] = options[name];
    }
    if (this._inputs && 'disabled' in options) {
      for (var i = 0; i < FIELDS.length; i++) this._inputs[FIELDS[i]].disabled = !!options.disabled;
    }
    return this;
  };

  // Everything createToken needs, or a validation error. Shows every field's error, as a
  // submit with the real element does.
  CardElement.prototype._forToken = function () {
    var summary = this._summary(true);
    this._left = { number: true, expiry: true, cvc: true };
    this._render(summary);
    if (summary.error) return { error: summary.error };
    var expiry = parseExpiry(this._values.expiry);
    return {
      card: {
        number: digitsOf(this._values.number),
        exp_month: String(parseInt(expiry.month, 10)),
        exp_year: String(2000 + parseInt(expiry.year, 10)),
        cvc: digitsOf(this._values.cvc)
      }
    };
  };

  function Elements(stripe, options) {
    this._stripe = stripe;
    this._options = options || {};
    this._card = null;
  }

  Elements.prototype.create = function (type, options) {
    if (type !== 'card') {
      throw integrationError('The simulator\'s Stripe.js stand-in only supports the `card` Element, not `' + String(type) + '`.');
    }
    if (this._card) throw integrationError('Can only create one Element of type card.');
    this._card = new CardElement(this, options);
    return this._card;
  };

  Elements.prototype.getElement = function (type) {
    return type === 'card' ? this._card : null;
  };

  Elements.prototype._forget = function (element) {
    if (this._card === element) this._card = null;
  };

  Elements.prototype.update = function (options) {
    var target = this._options;
    options = options || {};
    for (var name in options) {
      if (Object.prototype.hasOwnProperty.call(options, name)) target[name] = options[name];
    }
  };

  var TOKEN_DATA = ['name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country', 'currency'];

  function Stripe(key, options) {
    if (typeof key !== 'string' || key.trim() === '') {
      throw integrationError('Please call Stripe() with your publishable key. You used an empty string.');
    }
    if (key.indexOf('sk_') === 0) {
      throw integrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
    }
    var elementsCreated = [];
    var api = {
      elements: function (elementsOptions) {
        var group = new Elements(api, elementsOptions);
        elementsCreated.push(group);
        return group;
      },
      createToken: function (element, data) {
        if (!(element instanceof CardElement) || elementsCreated.indexOf(element._group) < 0) {
          return Promise.reject(integrationError('createToken: the first argument must be a card Element created by this Stripe instance.'));
        }
        if (element._destroyed || !element._container) {
          return Promise.reject(integrationError('We could not retrieve data from the specified Element. Please make sure the Element you are attempting to use is still mounted.'));
        }
        var prepared = element._forToken();
        if (prepared.error) return Promise.resolve({ error: prepared.error });
        var body = new URLSearchParams();
        var card = prepared.card;
        for (var field in card) {
          if (Object.prototype.hasOwnProperty.call(card, field)) body.append('card[' + field + ']', card[field]);
        }
        data = data || {};
        TOKEN_DATA.forEach(function (name) {
          if (typeof data[name] === 'string' && data[name] !== '') body.append('card[' + name + ']', data[name]);
        });
        return fetch(TOKENS_URL, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          headers: {
            Authorization: 'Bearer ' + key,
            'Content-Type': 'application/x-www-form-urlencoded'
          },
          body: body.toString()
        }).then(function (response) {
          return response.json().then(function (json) {
            if (response.ok && json && json.id) return { token: json };
            if (json && json.error) return { error: json.error };
            return { error: { type: 'api_error', message: 'An unexpected error occurred.' } };
          }, function () {
            return { error: { type: 'api_error', message: 'An unexpected error occurred.' } };
          });
        }, function () {
          return { error: { type: 'api_connection_error', message: 'Could not connect to Stripe. Please try again.' } };
        });
      },
      _key: key,
      _options: options || {}
    };
    return api;
  }

  Stripe.version = 3;
  Stripe.simulator = true;
  window.Stripe = Stripe;
})();
