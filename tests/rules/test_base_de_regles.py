"""La base de règles livrée : citations exactes, identifiants stables, effets honnêtes."""
import re
from dataclasses import replace

from rules.regle import EFFETS, Source
from rules.verification import TEXTES_LEGAUX, normaliser, verifier_citations
from tests.conftest import SOURCES


def test_chaque_extrait_cite_se_trouve_dans_son_texte(base):
    assert verifier_citations(base.regles, SOURCES) == []


def test_la_verification_detecte_une_citation_inventee(base):
    regle = base.regles[0]
    fausse = replace(regle, source=Source(regle.source.document, regle.source.reference,
                                          "La Région finance tout projet sans condition."))
    assert len(verifier_citations([fausse], SOURCES)) == 1


def test_la_normalisation_ignore_blancs_et_apostrophes():
    assert normaliser("l’investissement\n  et   les") == "l'investissement et les"


def test_les_identifiants_sont_uniques_et_suivent_leur_fichier(base):
    ids = [r.id for r in base.regles]
    assert len(ids) == len(set(ids))
    for r in base.regles:
        assert r.id.startswith(r.fichier.removesuffix(".yaml") + "."), r.id
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", r.id)


def test_une_priorite_ecrite_plutot_ou_prioritairement_n_exclut_jamais(base):
    for r in base.regles:
        extrait = normaliser(r.source.extrait).lower()
        if any(mot in extrait for mot in ("plutôt", "prioritairement", "priorité")):
            assert r.effet not in ("exclu", "non_concerne") or "exclusions" in extrait, r.id


def test_chaque_effet_est_connu_et_chaque_regle_dit_si_elle_interprete(base):
    for r in base.regles:
        assert r.effet in EFFETS
        assert isinstance(r.interpretation, bool)


def test_la_bande_ademe_est_celle_du_texte(base):
    bande = next(r for r in base.regles if r.id == "ademe.montant.bande")
    assert bande.montant == {"min": 5000, "max": 200000}
    assert "5 000 et 200 000" in bande.source.extrait


def test_chaque_epci_nomme_par_une_regle_existe_dans_le_territoire(base, territoire):
    sirens = {v for r in base.regles for t in r.condition.feuilles() if t.champ == "territoire.epci"
              for v in (t.valeur if isinstance(t.valeur, frozenset) else {t.valeur})}
    assert sirens and all(territoire.epci_nom(s) for s in sirens), sirens


def _remplacer_le_dernier_chiffre(texte: str) -> str:
    position = max(i for i, c in enumerate(texte) if c.isdigit())
    return texte[:position] + str((int(texte[position]) + 1) % 10) + texte[position + 1:]


def test_un_vrai_passage_dont_un_nombre_change_est_signale(base):
    # A near miss, not an invented sentence: the real passage of the ADEME band with « 5 000 » made
    # « 6 000 », the number sitting past the first 60 characters of the passage.
    regle = base.regle("ademe.montant.bande")
    assert normaliser(regle.source.extrait).index("5 000") > 60
    faux = replace(regle, source=replace(regle.source, extrait=regle.source.extrait.replace("5 000", "6 000")))
    [probleme] = verifier_citations([faux], SOURCES)
    assert probleme.startswith("ademe.yaml: règle ademe.montant.bande : extrait absent de 001_bd94f405bff95fce.txt")


def test_chaque_passage_cite_dont_le_dernier_chiffre_change_est_signale(base):
    # Every cited passage that holds a number, its last digit changed: the whole passage is compared, to
    # its last character, not a prefix of it.
    textes = {}
    cas = []
    for regle in base.regles:
        if regle.source.document in TEXTES_LEGAUX or not any(c.isdigit() for c in regle.source.extrait):
            continue
        if regle.source.document not in textes:
            textes[regle.source.document] = normaliser((SOURCES / regle.source.document).read_text(encoding="utf-8"))
        extrait = _remplacer_le_dernier_chiffre(regle.source.extrait)
        if normaliser(extrait) not in textes[regle.source.document]:  # else the changed passage is real too
            cas.append(replace(regle, source=replace(regle.source, extrait=extrait)))
    assert len(cas) >= len(textes)  # passages with numbers, in each cited text
    signales = verifier_citations(cas, SOURCES)
    assert [p.split(" : ")[0] for p in signales] == [f"{r.fichier}: règle {r.id}" for r in cas]
