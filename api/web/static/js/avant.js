// Runs synchronously at the start of <body>, before it paints (an external file: the CSP forbids inline scripts).
// govuk-frontend styles scripted components under .js-enabled and only initialises them under
// .govuk-frontend-supported (browsers that run ES modules), as its own template's inline snippet would do.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
