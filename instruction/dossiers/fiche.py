"""La fiche d'un dossier pour l'instruction, en pur Python : les données en lignes libellées, l'évaluation
retenue à côté du calcul (écarts marqués), chaque constat avec ses conditions dites en français et son
passage, ce que l'agent peut faire. Les gabarits mettent en forme ; ils ne décident rien.

`fiche()` ne lit rien : le dossier, les capacités de l'agent (`instruction.acces.capacites`), les titres des
règles et le territoire lui sont donnés par le cas d'usage (`instruction.dossiers.vues.fiche_du_dossier`).
"""
from datetime import date, datetime
from typing import Any, Optional, Sequence

from forms import libelles as lib
from forms.dossier import Dossier
from instruction.documents.financement import plan
from instruction.dossiers import complements
from instruction.dossiers import corrections as corr
from instruction.dossiers.chronologie import chronologie
from instruction.dossiers.cycle import CLASSE_SANS_SUITE, DECIDE, par_le_comite, suivants
from instruction.dossiers.dossier_instruit import DossierInstruit, EvaluationEnregistree
from instruction.dossiers.parcours import DemandeComplements, Message, Piece
from instruction.evaluation.faits import faits_du_dossier
from instruction.evaluation.resultat import Condition, Constat, Evaluation
from instruction.evaluation.territoire import Territoire
from instruction.temps import jour_de
from rules.champs import CHAMPS
from rules.conditions import Test
from rules.documents import TITRES, titre_document
from rules.en_francais import test_en_francais, valeur_en_francais

# The form's fields, by block, in the order the application form asks them.
BLOCS = {"porteur": [c for c in lib.CHAMPS if c.startswith("porteur.")],
         "projet": [c for c in lib.CHAMPS if c.startswith("projet.") and c != "projet.commune_insee"],
         "budget": [c for c in lib.CHAMPS if c.startswith("budget.") and c != "budget.financements"]}
_TABLES = {"porteur.type": lib.LIBELLES_PORTEURS, "porteur.taille": lib.LIBELLES_TAILLES,
           "porteur.rayonnement": lib.LIBELLES_RAYONNEMENTS, "projet.nature": lib.LIBELLES_NATURES,
           "projet.secteur": lib.LIBELLES_SECTEURS, "projet.hebergement_type": lib.LIBELLES_HEBERGEMENTS,
           "projet.clienteles": lib.LIBELLES_CLIENTELES, "projet.thematiques": lib.LIBELLES_THEMATIQUES,
           "projet.labels": lib.LIBELLES_LABELS, "projet.envergure": lib.LIBELLES_ENVERGURES}
_NOMS = {**lib.NOMS_FINANCEURS, **lib.NOMS_ACCOMPAGNEMENTS}


def ligne(champ: str, valeur: Any) -> dict[str, Any]:
    """Une ligne de liste récapitulative : le libellé du champ, sa valeur et sa nature (euros, date, texte) ;
    une valeur inconnue est « non renseigné », une liste connue vide est « aucun »."""
    nature = "texte"
    if valeur is None:
        texte: Any = "Non renseigné"
    elif isinstance(valeur, bool):
        texte = "Oui" if valeur else "Non"
    elif isinstance(valeur, (list, tuple)):
        texte = ", ".join(_TABLES.get(champ, {}).get(v, v) for v in valeur) or "Aucun"
    elif isinstance(valeur, date):
        texte, nature = valeur, "date"
    elif isinstance(valeur, (int, float)):
        texte, nature = valeur, "euros"
    else:
        texte = _TABLES.get(champ, {}).get(valeur, valeur)
    return {"champ": champ, "libelle": lib.libelle(champ), "valeur": texte, "nature": nature}


def _bloc(d: Dossier, bloc: str) -> list[dict[str, Any]]:
    objet = getattr(d, bloc)
    return [ligne(champ, getattr(objet, champ.split(".", 1)[1])) for champ in BLOCS[bloc]]


def _territoire(territoire: Territoire, d: Dossier, jour: Optional[date]) -> list[dict[str, Any]]:
    insee = d.projet.commune_insee
    commune = territoire.commune(insee)
    if commune is None:
        return [ligne("projet.commune_insee", insee)]
    contrats = [territoire.contrat(c).nom for c in territoire.contrats(insee, jour)] if jour else None
    return [
        {"champ": "projet.commune_insee", "libelle": "Commune", "valeur": f"{commune.nom} ({commune.insee})",
         "nature": "texte"},
        {"champ": "territoire.epci", "libelle": "Intercommunalité", "nature": "texte",
         "valeur": f"{commune.epci_nom} (SIREN {commune.epci})" if commune.epci else "Aucune"},
        {"champ": "territoire.departement", "libelle": "Département", "nature": "texte",
         "valeur": f"{territoire.departement_nom(commune.departement) or ''} ({commune.departement})".strip()},
        {"champ": "territoire.contrats", "libelle": "Contrats de destination", "nature": "texte",
         "valeur": "Date de dépôt inconnue" if contrats is None else (", ".join(contrats) or "Aucun")},
    ]


def _typee(champ: str, valeur: Any) -> Any:
    # A stored evaluation went through JSON: its dates are ISO texts again.
    definition = CHAMPS.get(champ)
    if definition is not None and definition.nature == "date" and isinstance(valeur, str):
        try:
            return date.fromisoformat(valeur)
        except ValueError:
            return valeur
    return valeur


def condition(c: Condition, noms: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Une condition d'un constat : le test en français, la valeur lue dans le dossier, le résultat."""
    attendu, lue = _typee(c.champ, c.attendu), _typee(c.champ, c.valeur)
    texte = test_en_francais(Test(c.champ, c.test, attendu), noms)
    return {"texte": texte[:1].upper() + texte[1:],
            "valeur": "inconnue" if lue is None else valeur_en_francais(c.champ, lue, noms),
            "resultat": {True: "vrai", False: "faux"}.get(c.resultat, "inconnu"),
            "resultat_libelle": lib.LIBELLES_RESULTATS[c.resultat]}


def source(regle: str, c: Constat) -> dict[str, Any]:
    """Le passage cité ; un texte source du site des règles est lié à ce passage (`#regle-…`), surligné."""
    document = c.source.document
    lien = f"/textes/{document}#regle-{regle}" if document in TITRES else None
    return {"document": document, "titre": titre_document(document), "reference": c.source.reference,
            "extrait": c.source.extrait, "lien": lien}


def constat(c: Constat, titres: dict[str, str], noms: dict[str, dict[str, str]], sort: str = "calcule",
            correction: Optional[int] = None) -> dict[str, Any]:
    """`sort` : « calcule » (retenu tel quel), « ecarte » (par la correction n° `correction`), « ajoute »."""
    return {"regle": c.regle, "titre": titres.get(c.regle, c.message if sort == "ajoute" else c.regle),
            "financeur": c.financeur, "financeur_nom": _NOMS.get(c.financeur or "", "Tout le dossier"),
            "effet": c.effet, "effet_libelle": lib.LIBELLES_EFFETS.get(c.effet, c.effet), "message": c.message,
            "interpretation": c.interpretation, "motif_interpretation": c.motif_interpretation,
            "piece": c.piece, "montant": c.montant.en_json() if c.montant else None, "auteur": c.auteur,
            "source": source(c.regle, c) if sort != "ajoute" else None,
            "conditions": [condition(x, noms) for x in c.conditions], "sort": sort, "correction": correction}


def _financeurs(calcule: Evaluation, retenue: Evaluation, titres: dict[str, str]) -> list[dict[str, Any]]:
    retenus = retenue.statuts()
    return [{"id": f.financeur, "nom": lib.NOMS_FINANCEURS[f.financeur],
             "calcule": f.statut, "calcule_libelle": lib.LIBELLES_STATUTS[f.statut],
             "retenu": retenus[f.financeur], "retenu_libelle": lib.LIBELLES_STATUTS[retenus[f.financeur]],
             "differe": retenus[f.financeur] != f.statut, "motifs": [titres.get(m, m) for m in f.motifs],
             "bande": f.montant_indicatif.en_json() if f.montant_indicatif else None}
            for f in calcule.financeurs]


def _constats(calcule: Evaluation, retenue: Evaluation, corrections: list[corr.Correction],
              titres: dict[str, str], noms: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Les constats du calcul (ceux qu'une correction active écarte restent montrés, marqués), puis les
    constats ajoutés par l'instructeur, en groupes : tout le dossier, chaque financeur, chaque accompagnement."""
    ecartes = {c.cible: c.numero for c in corrections if c.active and c.genre == corr.CONSTAT_ECARTE}
    lignes = [constat(c, titres, noms, "ecarte" if c.regle in ecartes else "calcule", ecartes.get(c.regle))
              for c in calcule.constats]
    lignes += [constat(c, titres, noms, "ajoute", int(c.regle.rsplit(".", 1)[1]))
               for c in retenue.constats if c.auteur and c.regle.startswith("instructeur.")]
    ordre = {None: 0, **{f: i + 1 for i, f in enumerate([*lib.NOMS_FINANCEURS, *lib.NOMS_ACCOMPAGNEMENTS])}}
    groupes: dict[Optional[str], dict[str, Any]] = {}
    for x in sorted(lignes, key=lambda x: ordre.get(x["financeur"], len(ordre))):
        groupes.setdefault(x["financeur"], {"financeur": x["financeur"], "nom": x["financeur_nom"],
                                            "constats": []})["constats"].append(x)
    return list(groupes.values())


def evaluation(dossier: DossierInstruit, titres: dict[str, str],
               noms: dict[str, dict[str, str]]) -> Optional[dict[str, Any]]:
    """La dernière évaluation : calcul et évaluation retenue (corrections appliquées) côte à côte."""
    e: Optional[EvaluationEnregistree] = dossier.derniere_evaluation
    if e is None:
        return None
    calcule, retenue = e.resultat, dossier.evaluation_retenue()
    return {
        "numero": e.numero, "quand": e.quand, "auteur": e.auteur, "date_reference": e.date_reference,
        "version_regles": e.version_regles,
        "donnees_modifiees": e.donnees != dossier.donnees.model_dump(mode="json"),
        "avis": {"calcule": calcule.avis, "calcule_libelle": lib.LIBELLES_AVIS[calcule.avis],
                 "retenu": retenue.avis, "retenu_libelle": lib.LIBELLES_AVIS[retenue.avis],
                 "differe": retenue.avis != calcule.avis},
        "financeurs": _financeurs(calcule, retenue, titres),
        "orientation": [lib.NOMS_FINANCEURS[f] for f in retenue.orientation],
        "accompagnement": [lib.NOMS_ACCOMPAGNEMENTS[a] for a in retenue.accompagnement],
        "informations_manquantes": [lib.libelle(c) for c in retenue.informations_manquantes],
        "pieces_requises": list(retenue.pieces_requises),
        "constats": (groupes := _constats(calcule, retenue, dossier.corrections, titres, noms)),
        "nombre_constats": sum(len(g["constats"]) for g in groupes),
    }


def transitions(dossier: DossierInstruit, peut: bool) -> list[dict[str, Any]]:
    """Les passages que cette page peut faire depuis l'état du dossier, et eux seuls : ceux qui engagent un
    comité (inscrire, retirer, décider) se font depuis sa réunion ; un dossier clos n'en a plus."""
    if not peut or dossier.clos:
        return []
    possibles = [v for v in suivants(dossier.etat) if not par_le_comite(dossier.etat, v)]
    if dossier.etat == DECIDE and dossier.ajourne:
        possibles.append(CLASSE_SANS_SUITE)  # the holder's withdrawal after an adjournment
    derniere = dossier.derniere_evaluation
    a_jour = derniere is not None and derniere.donnees == dossier.donnees.model_dump(mode="json")
    return [{"vers": v, "libelle": lib.LIBELLES_ETATS[v],
             "action": lib.ACTIONS_RETOURS.get((dossier.etat, v)) or lib.ACTIONS_TRANSITIONS.get(v, v),
             # What the domain would refuse, said before the instructor writes a motive.
             "prealable": None if v != "avis_rendu" or a_jour else (
                 "Évaluez d'abord le dossier : " + ("il n'a jamais été évalué." if derniere is None else
                                                    "ses données ont changé depuis la dernière évaluation."))}
            for v in possibles]


def capacites_de_la_page(dossier: DossierInstruit, capacites: dict[str, bool],
                         demandes: Sequence[DemandeComplements] = ()) -> dict[str, bool]:
    """Les boutons de la page : ce que la politique permet à l'agent, et que l'état du dossier permet encore."""
    ouvert, evalue = not dossier.clos, bool(dossier.evaluations)
    return {"evaluer": capacites.get("evaluer", False) and ouvert,
            "corriger": capacites.get("corriger", False) and ouvert and evalue,
            "revoir": capacites.get("revoir_correction", False) and ouvert and evalue,
            "changer_etat": capacites.get("changer_etat", False),
            # One request at a time, to a dossier its holder may still complete (instruction.dossiers.complements).
            "demander_complements": capacites.get("demander_complements", False)
            and dossier.etat in complements.ETATS_OUVERTS and not any(d.en_attente for d in demandes),
            "ecrire_message": capacites.get("ecrire_message", False),
            "voir_avis": capacites.get("voir", False) and evalue}


def _libelle_demande(champ: str) -> str:
    return "Pièces jointes" if champ == complements.PIECES else lib.libelle(champ)


def echanges(pieces: Sequence[Piece], messages: Sequence[Message],
             demandes: Sequence[DemandeComplements]) -> dict[str, Any]:
    """Les pièces jointes encore actives, le fil de messages et les demandes de compléments (la plus récente
    d'abord), et les champs qu'une nouvelle demande peut viser."""
    return {
        "pieces": [{"numero": p.numero, "nom": p.nom_fichier, "piece": p.piece or "Autre pièce",
                    "type": p.type_media, "taille": p.taille, "depose_par": p.depose_par, "depose_le": p.depose_le}
                   for p in pieces if p.active],
        "messages": [{"numero": m.numero, "auteur": m.auteur, "texte": m.texte, "ecrit_le": m.ecrit_le,
                      "cote": m.cote, "cote_libelle": "Porteur" if m.cote == "porteur" else "Instruction"}
                     for m in messages],
        "demandes": [{"numero": d.numero, "champs": [_libelle_demande(c) for c in d.champs], "message": d.message,
                      "auteur": d.auteur, "demandee_le": d.demandee_le, "en_attente": d.en_attente,
                      "repondue_le": d.repondue_le, "repondue_par": d.repondue_par, "reponse": d.reponse}
                     for d in reversed(demandes)],
        "champs_demandables": [{"champ": c, "libelle": _libelle_demande(c)} for c in complements.CHAMPS_DEMANDABLES],
    }


def fiche(dossier: DossierInstruit, capacites: dict[str, bool], titres: dict[str, str], territoire: Territoire,
          quand: datetime, pieces: Sequence[Piece] = (), messages: Sequence[Message] = (),
          demandes: Sequence[DemandeComplements] = ()) -> dict[str, Any]:
    """Tout ce que montre la page d'un dossier. `capacites` : celles de la politique pour l'agent ; `pieces`,
    `messages`, `demandes` : ce que le parcours du porteur garde à côté du dossier (instruction.dossiers.parcours)."""
    d = dossier.donnees
    jour = d.date_depot or jour_de(quand)
    noms = territoire.noms_des_valeurs()
    corrections = corr.cote_a_cote(dossier.derniere_evaluation.resultat, dossier.corrections, titres) \
        if dossier.evaluations else []
    return {
        "reference": d.reference, "etat": dossier.etat, "etat_libelle": lib.LIBELLES_ETATS[dossier.etat],
        "titre": d.projet.titre, "porteur_nom": d.porteur.nom, "date_depot": d.date_depot, "clos": dossier.clos,
        "comite": dossier.comite_en_cours,
        "porteur": _bloc(d, "porteur"), "projet": _bloc(d, "projet"), "budget": _bloc(d, "budget"),
        "territoire": _territoire(territoire, d, d.date_depot),
        "plan": plan(d, faits_du_dossier(d, territoire, jour)),
        **echanges(pieces, messages, demandes),
        "evaluation": evaluation(dossier, titres, noms),
        "corrections": corrections,
        "a_revoir": sum(1 for c in corrections if c["a_revoir"] and not c["retiree"]),
        "historique": chronologie(dossier, corrections, demandes),
        "transitions": transitions(dossier, capacites.get("changer_etat", False)),
        "peut": capacites_de_la_page(dossier, capacites, demandes),
    }
