// The desk's list: « Tout cocher » ticks every dossier of the page in place. Without JavaScript the same link
// reloads the page with every box ticked (?tout=oui), so the batch form works either way.
document.querySelectorAll("[data-tout-cocher]").forEach((lien) => {
  const formulaire = lien.closest("form");
  const texte = lien.firstChild.textContent;
  const cases = () => Array.from(formulaire.querySelectorAll('input[name="references"]'));
  const mettreAJour = () => {
    const toutes = cases().length > 0 && cases().every((c) => c.checked);
    lien.firstChild.textContent = toutes ? lien.dataset.decocher : texte;
    lien.setAttribute("aria-pressed", toutes ? "true" : "false");
  };
  lien.setAttribute("role", "button");
  lien.addEventListener("click", (evenement) => {
    evenement.preventDefault();
    const cocher = !cases().every((c) => c.checked);
    cases().forEach((c) => { c.checked = cocher; });
    mettreAJour();
  });
  lien.addEventListener("keydown", (evenement) => {
    if (evenement.key === " ") { evenement.preventDefault(); lien.click(); }
  });
  formulaire.addEventListener("change", mettreAJour);
  mettreAJour();
});
