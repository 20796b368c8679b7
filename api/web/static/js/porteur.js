// The holder's form, improved when scripts run (every page works without them, see templates/pages/porteur/):
// - fields that depend on an answer (holder type, economic activity, sector) hide and show as it changes;
// - financing plan lines are added and removed in place (without scripts, buttons do it through the server);
// - the commune list follows what is typed, from GET /api/v1/communes (the full list stays if it fails);
// - a file over the size limit is refused before it is sent;
// - before a step is sent, the session is checked: if it expired, what was typed is kept in this tab
//   (sessionStorage) and put back after signing in again, on the same step.
// The live pre-diagnostic itself is htmx (attributes on the form): nothing here.
(function () {
  "use strict";

  var ECONOMIQUES = ["association", "particulier", "office_de_tourisme"];

  function valeur(form, nom) {
    var coche = form.querySelector('input[name="' + nom + '"]:checked');
    if (coche) return coche.value;
    var champ = form.querySelector('select[name="' + nom + '"], input[type="text"][name="' + nom + '"]');
    return champ ? champ.value : "";
  }

  // Same rules as instruction/dossiers/etapes.py (montre): an unknown answer shows the field.
  function montre(condition, form) {
    var type = valeur(form, "porteur.type");
    var secteur = valeur(form, "projet.secteur");
    var activite = valeur(form, "porteur.activite_economique");
    if (condition === "hebergement") return !secteur || secteur === "hebergement";
    if (!type) return true;
    if (condition === "siret") return type !== "particulier";
    if (condition === "activite") return ECONOMIQUES.indexOf(type) >= 0;
    if (condition === "economique") return type === "entreprise" || (ECONOMIQUES.indexOf(type) >= 0 && activite === "oui");
    if (condition === "association") return type === "association";
    return true;
  }

  function appliquerConditions(form) {
    form.querySelectorAll(".guichet-condition").forEach(function (bloc) {
      if (montre(bloc.dataset.condition, form)) bloc.removeAttribute("data-masque");
      else bloc.setAttribute("data-masque", "");
    });
  }

  // Financing plan lines: clone the <template>, number it after the highest index; renumber the visible labels.
  function renumeroter(conteneur) {
    conteneur.querySelectorAll(".guichet-ligne").forEach(function (ligne, i) {
      ligne.querySelectorAll(".guichet-ligne__numero").forEach(function (n) { n.textContent = String(i + 1); });
      ligne.querySelectorAll(".guichet-retirer-ligne .govuk-visually-hidden").forEach(function (n) {
        n.textContent = " (n° " + (i + 1) + ")";
      });
    });
  }

  function ajouterLigne(form) {
    var conteneur = form.querySelector("#lignes-financement");
    var modele = document.getElementById("modele-ligne");
    if (!conteneur || !modele) return null;
    var indices = Array.prototype.map.call(conteneur.querySelectorAll(".guichet-ligne"), function (l) {
      return parseInt(l.dataset.ligne, 10);
    });
    var suivant = indices.length ? Math.max.apply(null, indices) + 1 : 0;
    if (suivant >= parseInt(conteneur.dataset.lignesMax || "20", 10)) return null;
    var html = modele.innerHTML.split("__N__").join(String(suivant)).split("__M__").join(String(indices.length + 1));
    conteneur.insertAdjacentHTML("beforeend", html);
    renumeroter(conteneur);
    return conteneur.lastElementChild;
  }

  function brancherLignes(form) {
    form.addEventListener("click", function (evenement) {
      var bouton = evenement.target.closest("button[name='action']");
      if (!bouton) return;
      if (bouton.value === "ajouter_ligne") {
        evenement.preventDefault();
        var ligne = ajouterLigne(form);
        if (ligne) ligne.querySelector("select").focus();
      } else if (bouton.value.indexOf("retirer_ligne-") === 0) {
        evenement.preventDefault();
        var aRetirer = bouton.closest(".guichet-ligne");
        var conteneur = aRetirer.parentNode;
        aRetirer.remove();
        renumeroter(conteneur);
        var ajouter = form.querySelector(".guichet-ajouter-ligne");
        if (ajouter) ajouter.focus();
        form.dispatchEvent(new Event("change", { bubbles: true }));  // the totals and the panel follow
      }
    });
  }

  // Communes: suggestions from the API as the holder types; the page's own full list remains the fallback.
  function brancherCommunes(form) {
    var champ = form.querySelector("input[data-communes]");
    var liste = document.getElementById("communes-liste");
    if (!champ || !liste) return;
    var minuterie = null;
    champ.addEventListener("input", function () {
      clearTimeout(minuterie);
      var texte = champ.value.trim();
      if (texte.length < 2 || /\(\d/.test(texte)) return;
      minuterie = setTimeout(function () {
        fetch("/api/v1/communes?q=" + encodeURIComponent(texte), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
          .then(function (communes) {
            if (!Array.isArray(communes) || !communes.length) return;
            liste.textContent = "";
            communes.forEach(function (c) {
              var option = document.createElement("option");
              option.value = c.nom + " (" + c.insee + ", " + (c.departement_nom || c.departement) + ")";
              liste.appendChild(option);
            });
          })
          .catch(function () { /* keep the full list rendered by the server */ });
      }, 150);
    });
  }

  function brancherEnvois() {
    document.querySelectorAll("form.guichet-envoi").forEach(function (form) {
      form.addEventListener("submit", function (evenement) {
        var fichier = form.querySelector("input[type='file']");
        var maximum = parseInt(form.dataset.tailleMax, 10);
        if (fichier && fichier.files && fichier.files[0] && fichier.files[0].size > maximum) {
          evenement.preventDefault();
          var groupe = fichier.closest(".govuk-form-group");
          var message = groupe.querySelector(".guichet-erreur-taille");
          if (!message) {
            message = document.createElement("p");
            message.className = "govuk-error-message guichet-erreur-taille";
            message.id = fichier.id + "-taille";
            message.innerHTML = '<span class="govuk-visually-hidden">Erreur :</span> ';
            message.appendChild(document.createTextNode("Le fichier doit faire 10 Mo au plus"));
            groupe.insertBefore(message, groupe.querySelector("input, .govuk-drop-zone"));
            groupe.classList.add("govuk-form-group--error");
            fichier.setAttribute("aria-describedby", (fichier.getAttribute("aria-describedby") || "") + " " + message.id);
          }
          fichier.focus();
        }
      });
    });
  }

  // Session expiry: keep what this step typed, in this tab only, then sign in and come back to the same step.
  function cleReprise(form) {
    return "guichet-reprise:" + form.dataset.reference + ":" + form.dataset.etape;
  }

  function garder(form) {
    var valeurs = [];
    new FormData(form).forEach(function (v, k) {
      if (k !== "csrf_token" && k !== "action" && typeof v === "string") valeurs.push([k, v]);
    });
    sessionStorage.setItem(cleReprise(form), JSON.stringify({ version: form.dataset.version, valeurs: valeurs }));
  }

  function retablir(form) {
    var brut = sessionStorage.getItem(cleReprise(form));
    if (!brut) return;
    sessionStorage.removeItem(cleReprise(form));
    var garde = JSON.parse(brut);
    if (garde.version !== form.dataset.version) return;  // the draft moved on since: never put older answers back
    var noms = {};
    garde.valeurs.forEach(function (p) { (noms[p[0]] = noms[p[0]] || []).push(p[1]); });
    Object.keys(noms).forEach(function (nom) {
      var ligne = /^budget\.financements-(\d+)-/.exec(nom);
      while (ligne && !form.querySelector('[name="' + nom + '"]') && ajouterLigne(form)) { /* add lines */ }
    });
    form.querySelectorAll("input, select, textarea").forEach(function (champ) {
      if (!(champ.name in noms) || champ.type === "hidden") return;
      if (champ.type === "radio" || champ.type === "checkbox") champ.checked = noms[champ.name].indexOf(champ.value) >= 0;
      else champ.value = noms[champ.name][0];
    });
    form.querySelectorAll("input[type='radio'], input[type='checkbox']").forEach(function (champ) {
      if (!(champ.name in noms)) champ.checked = false;
    });
    appliquerConditions(form);
    var bandeau = document.getElementById("reprise");
    if (bandeau) {
      bandeau.hidden = false;
      bandeau.setAttribute("tabindex", "-1");
      bandeau.focus();
    }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function brancherSession(form) {
    var verifiee = false;
    form.addEventListener("submit", function (evenement) {
      if (verifiee) return;
      evenement.preventDefault();
      var bouton = evenement.submitter;
      fetch("/mes-dossiers/session", { credentials: "same-origin", redirect: "manual", cache: "no-store" })
        .then(function (reponse) {
          if (reponse.status === 204) {
            verifiee = true;
            if (bouton && form.requestSubmit) form.requestSubmit(bouton); else form.submit();
          } else {
            garder(form);
            window.location.assign("/connexion?suivant=" + encodeURIComponent(window.location.pathname));
          }
        })
        .catch(function () { verifiee = true; form.submit(); });
    });
    // Back from the browser's cache: check the session again at the next sending.
    window.addEventListener("pageshow", function () { verifiee = false; });
  }

  document.querySelectorAll("form.guichet-etape").forEach(function (form) {
    appliquerConditions(form);
    form.addEventListener("change", function () { appliquerConditions(form); });
    brancherLignes(form);
    brancherCommunes(form);
    brancherSession(form);
    retablir(form);
  });
  // The answer to a request for more information has the plan's lines and the commune too.
  document.querySelectorAll("form:not(.guichet-etape):not(.guichet-envoi)").forEach(function (form) {
    if (form.querySelector("#lignes-financement")) brancherLignes(form);
    if (form.querySelector("input[data-communes]")) brancherCommunes(form);
  });
  brancherEnvois();
})();
