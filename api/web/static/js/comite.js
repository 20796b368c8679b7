// The comité room: after « Monter » or « Descendre », the page comes back with the anchor of the button just used
// (#monter-REF, #descendre-REF). Put the keyboard focus back on it, so a dossier can be moved several places in a
// row with Enter alone; at an edge the button is gone, and the other one of the same dossier takes the focus.
const cible = decodeURIComponent(window.location.hash.slice(1));
const sens = cible.match(/^(monter|descendre)-(.+)$/);

if (sens) {
  const autre = sens[1] === "monter" ? "descendre" : "monter";
  const bouton = document.getElementById(cible) || document.getElementById(`${autre}-${sens[2]}`);
  if (bouton) {
    bouton.focus();
  }
}
