"""Les modèles de vue du site public des règles (`instruction.evaluation.site_regles`), sur les règles du dépôt et
des textes en mémoire (aucun fichier lu) : la liste et sa recherche, la page d'un financeur, celle d'une règle, et
un texte découpé en passages marqués."""
import re
import unicodedata

import pytest

from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.evaluation import site_regles
from rules.verification import TEXTES_LEGAUX, normaliser

CONTRAT = "000_2cc5c77f9f4957df.txt"


class TextesEnMemoire:
    def __init__(self, textes: dict[str, str]):
        self.textes = textes

    def documents(self) -> list[str]:
        return sorted(self.textes)

    def lire(self, document):
        return self.textes.get(document)


@pytest.fixture(scope="module")
def textes(base):
    """Pour chaque texte cité, un texte fait de ses passages séparés par du texte libre (sauts de ligne, apostrophes
    typographiques et blancs doublés, comme une extraction de PDF)."""
    par_document: dict[str, list[str]] = {}
    for regle in base.regles:
        if regle.source.document not in TEXTES_LEGAUX:
            par_document.setdefault(regle.source.document, []).append(regle.source.extrait.replace("'", "’"))
    return TextesEnMemoire({d: "Préambule \n \n\n" + "\n\nTexte libre entre deux passages.\n".join(
        e.replace(" ", "  ", 1) for e in extraits) + "\n\nFin." for d, extraits in par_document.items()})


def _simple(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte.lower()) if not unicodedata.combining(c))


def test_la_liste_montre_chaque_regle_une_fois_sous_son_financeur_dans_l_ordre_du_contrat(base):
    vue = site_regles.sommaire(base)
    ids = [r["id"] for f in vue["financeurs"] for r in f["regles"]]
    assert sorted(ids) == sorted(r.id for r in base.regles)
    assert vue["trouvees"] == vue["total"] == len(base.regles)
    ordre = [*FINANCEURS, *ACCOMPAGNEMENTS, site_regles.DOSSIER_ENTIER]
    vus = [f["id"] for f in vue["financeurs"]]
    assert vus == [f for f in ordre if f in vus]
    for f in vue["financeurs"]:
        assert all(r["financeur"] == f["id"] for r in f["regles"])


@pytest.mark.parametrize("recherche", ["camping", "Hébergement", "hebergement ademe", "INGÉNIERIE", "l’ADRT"])
def test_la_recherche_garde_les_regles_qui_contiennent_chaque_mot_sans_regard_aux_accents(base, recherche):
    vue = site_regles.sommaire(base, recherche)
    mots = re.findall(r"\w+", _simple(recherche.replace("’", "'")))
    attendues = {r.id for r in base.regles
                 if all(m in _simple(" ".join((r.id, r.titre, r.message, r.source.reference, r.source.extrait,
                                               site_regles.NOMS[r.financeur]))) for m in mots)}
    trouvees = {r["id"] for f in vue["financeurs"] for r in f["regles"]}
    assert trouvees == attendues and attendues
    assert vue["trouvees"] == len(attendues)
    assert all(f["regles"] for f in vue["financeurs"])  # a funder without a match is not listed


def test_une_recherche_sans_resultat_ne_liste_aucun_financeur(base):
    vue = site_regles.sommaire(base, "zzzz introuvable")
    assert vue["trouvees"] == 0 and vue["financeurs"] == []


def test_la_page_d_un_financeur_range_ses_regles_par_conclusion(base):
    vue = site_regles.page_financeur(base, "ademe_fonds_tourisme_durable")
    regles = [r for g in vue["groupes"] for r in g["regles"]]
    assert sorted(r["id"] for r in regles) == sorted(r.id for r in base.regles
                                                       if r.financeur == "ademe_fonds_tourisme_durable")
    assert all(r["effet"] == g["effet"] for g in vue["groupes"] for r in g["regles"])
    assert vue["interpretations"] == sum(r.interpretation for r in base.regles
                                         if r.financeur == "ademe_fonds_tourisme_durable")


def test_les_regles_sans_financeur_ont_leur_page(base):
    vue = site_regles.page_financeur(base, site_regles.DOSSIER_ENTIER)
    assert vue["nombre"] == sum(r.financeur is None for r in base.regles) > 0


@pytest.mark.parametrize("inconnu", ["region", "", "../admin"])
def test_un_financeur_inconnu_est_introuvable(base, inconnu):
    with pytest.raises(site_regles.FinanceurIntrouvable) as erreur:
        site_regles.page_financeur(base, inconnu)
    assert erreur.value.genre == "introuvable"


def test_une_regle_inconnue_est_introuvable(base, territoire, textes):
    with pytest.raises(site_regles.RegleIntrouvable) as erreur:
        site_regles.page_regle(base, "region.nexiste.pas", territoire, textes)
    assert erreur.value.genre == "introuvable" and "region.nexiste.pas" in erreur.value.message


def test_la_page_d_une_regle_dit_ses_exemples_en_francais(base, territoire, textes):
    regle = base.regle("accompagnement.pdct.porteurs_prives")
    vue = site_regles.page_regle(base, regle.id, territoire, textes)
    assert [e["nom"] for e in vue["exemples"]] == [e.nom for e in regle.exemples]
    premier = {d["champ"]: d["valeur"] for d in vue["exemples"][0]["donnees"]}
    assert premier == {"Type de porteur": "Entreprise", "Commune du projet (code insee)": "Béthune (62119)"}
    assert [e["attendu"] for e in vue["exemples"]] == [e.attendu for e in regle.exemples]
    assert (vue["du"], vue["au"]) == (regle.du, regle.au)


def test_un_exemple_inconnu_nomme_les_informations_qui_manquent(base, territoire, textes):
    regle = next(r for r in base.regles if any(e.manquants for e in r.exemples))
    vue = site_regles.page_regle(base, regle.id, territoire, textes)
    exemple = next(e for e in vue["exemples"] if e["manquants"])
    assert exemple["attendu"] == "inconnu" and all("_" not in m for m in exemple["manquants"])


def test_les_dates_et_le_plan_de_financement_d_un_exemple_se_lisent(base, territoire, textes):
    lu = {}
    for regle in base.regles:
        for exemple in site_regles.page_regle(base, regle.id, territoire, textes)["exemples"]:
            lu.update({d["champ"]: d["valeur"] for d in exemple["donnees"]})
    assert re.fullmatch(r"\d{1,2}(er)? \w+ \d{4}", lu["Date de dépôt"])
    assert "sollicité" in lu["Plan de financement"] and "€" in lu["Plan de financement"]
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", v) for v in lu.values()), lu  # no raw identifier


def test_le_passage_d_une_regle_est_montre_dans_son_contexte_avec_son_lien(base, territoire, textes):
    regle = base.regle("ademe.montant.bande")
    source = site_regles.page_regle(base, regle.id, territoire, textes)["source"]
    assert source["lien"] == f"/textes/{regle.source.document}#regle-{regle.id}"
    assert normaliser(source["contexte"]["passage"]) == normaliser(regle.source.extrait)
    assert source["contexte"]["avant"].strip() and source["contexte"]["apres"].strip()


def test_une_regle_de_droit_cite_la_loi_sans_lien_vers_un_texte(base, territoire, textes):
    regle = next(r for r in base.regles if r.source.document in TEXTES_LEGAUX)
    source = site_regles.page_regle(base, regle.id, territoire, textes)["source"]
    assert source["legal"] and source["lien"] is None and source["contexte"] is None
    assert source["extrait"] == regle.source.extrait


def test_un_texte_est_decoupe_sans_rien_perdre_et_chaque_regle_qui_le_cite_y_est_marquee(base, textes):
    vue = site_regles.page_texte(base, CONTRAT, textes)
    montre = "".join(m["texte"] for m in vue["morceaux"])
    assert normaliser(montre) == normaliser(textes.lire(CONTRAT))  # only whitespace may change
    assert "\n\n\n" not in montre and "\n\n" in montre  # a run of blank lines shows as one
    citantes = {r.id for r in base.regles if r.source.document == CONTRAT}
    assert {rid for m in vue["morceaux"] for rid in m["regles"]} == citantes
    assert {r["id"] for r in vue["regles"]} == citantes and vue["introuvables"] == []
    for morceau in vue["morceaux"]:
        for rid in morceau["regles"]:
            assert normaliser(base.regle(rid).source.extrait.replace("'", "’")) in normaliser(morceau["texte"])


def test_le_decoupage_d_un_texte_est_garde_en_memoire(base, textes):
    premier = site_regles.page_texte(base, CONTRAT, textes)["morceaux"]
    assert site_regles.page_texte(base, CONTRAT, textes)["morceaux"] is premier


@pytest.mark.parametrize("document", ["inconnu.txt", "../../etc/passwd", ""])
def test_un_texte_inconnu_est_introuvable(base, textes, document):
    with pytest.raises(site_regles.TexteIntrouvable):
        site_regles.page_texte(base, document, textes)


def test_l_index_des_textes_compte_les_regles_de_chaque_texte_et_nomme_les_lois(base, textes):
    vue = site_regles.index_textes(base, textes)
    assert {d["document"]: d["nombre"] for d in vue["documents"]} == {
        d: sum(r.source.document == d for r in base.regles) for d in textes.documents()}
    assert {loi["titre"] for loi in vue["lois"]} == {r.source.document for r in base.regles
                                                     if r.source.document in TEXTES_LEGAUX}


def test_la_page_d_une_regle_peut_faire_decouper_son_texte_d_avance(base, textes):
    site_regles.decoupage.cache_clear()
    site_regles.prechauffer(base, [CONTRAT, CONTRAT, "inconnu.txt", "Code de commerce"], textes)
    assert site_regles.decoupage.cache_info().currsize == 1
    deja = site_regles.decoupage.cache_info().hits
    site_regles.page_texte(base, CONTRAT, textes)
    assert site_regles.decoupage.cache_info().hits == deja + 1  # served from memory
