"""La base de règles livrée : citations exactes, identifiants stables, effets honnêtes."""
import re

from rules.regle import EFFETS
from rules.verification import normaliser, verifier_citations
from tests.conftest import SOURCES


def test_chaque_extrait_cite_se_trouve_dans_son_texte(base):
    assert verifier_citations(base.regles, SOURCES) == []


def test_la_verification_detecte_une_citation_inventee(base):
    from dataclasses import replace

    from rules.regle import Source
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
