/**
 * Widgets for the dashboard.
 */
'use strict';

const util = require('./util');

/**
 * Adds two numbers, or returns zero.
 */
function add(a, b = 1, ...rest) {
  return a && b ? a + b : 0;
}

async function* pages(client) {
  let page = 0;
  while (client.more(page)) {
    yield await client.fetch(page++);
  }
}

// Formats a label.
const format = (label) => label.trim() || 'none';

const parse = function (text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    return null;
  }
};

class Widget extends Base {
  static count = 0;
  #secret = 1;

  constructor(name) {
    super(name);
    this.name = name;
    this.onClick = () => this.toggle();
  }

  get label() {
    return this.name;
  }

  set label(value) {
    this.name = value;
  }

  static create(options) {
    return new Widget(options.name ?? 'widget');
  }

  *items() {
    for (const item of this.list) {
      if (item) yield item;
    }
  }

  handle = (event) => {
    switch (event.type) {
      case 'click':
        return 1;
      case 'key':
      case 'touch':
        return 2;
      default:
        return 0;
    }
  };
}

Widget.prototype.render = function (target) {
  [1, 2].forEach((n) => {
    if (n > 1) target.append(n);
  });
};

exports.helper = function helper(x) {
  return x;
};

module.exports = {
  start() {
    return true;
  },
  stop: () => false,
};

const api = {
  fetch: async function (url) {
    return url;
  },
};

setTimeout(function () {
  function insideCallback() {}
}, 10);

(function () {
  function moduleLocal() {
    function nested() {}
    return 1;
  }
})();

export default class extends Widget {}

const Panel = class {
  open() {}
};
