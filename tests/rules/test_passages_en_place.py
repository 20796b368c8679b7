"""Chaque passage cité par une règle se retrouve en place dans son texte brut (le site des règles le
surligne là) ; chaque condition se dit en français."""
import pytest

from rules.base import BaseDeRegles
from rules.en_francais import en_francais
from rules.passages import situer
from rules.verification import TEXTES_LEGAUX, dossier_sources, normaliser

BASE = BaseDeRegles.charger()
SOURCES = dossier_sources()


@pytest.mark.parametrize("regle", [r for r in BASE.regles if r.source.document not in TEXTES_LEGAUX],
                         ids=lambda r: r.id)
def test_le_passage_cite_se_situe_dans_le_texte_brut(regle):
    texte = (SOURCES / regle.source.document).read_text(encoding="utf-8")
    debut, fin = situer(texte, regle.source.extrait)
    assert normaliser(texte[debut:fin]) == normaliser(regle.source.extrait)


@pytest.mark.parametrize("regle", BASE.regles, ids=lambda r: r.id)
def test_chaque_condition_se_dit_en_francais_sans_identifiant_brut(regle, territoire):
    def textes(noeud):
        yield noeud["texte"]
        for enfant in noeud["enfants"]:
            yield from textes(enfant)
    for texte in textes(en_francais(regle.condition, territoire.noms_des_valeurs())):
        assert "_" not in texte.replace("l'ADEME", ""), (regle.id, texte)
