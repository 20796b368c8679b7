// Starts govuk-frontend's components. The library's address, with its content hash for caching, is given by
// the page (data-govuk-frontend): a fixed import here would keep serving an old copy after an upgrade.
const script = document.querySelector("script[data-govuk-frontend]");

if (script) {
  import(script.dataset.govukFrontend).then(({ initAll }) => initAll());
}
