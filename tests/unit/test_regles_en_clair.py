"""Les règles dites en français et leurs passages retrouvés dans le texte brut, pour le site public."""
from rules.conditions import lire_condition
from rules.en_francais import en_francais
from rules.passages import decouper, situer


def test_une_condition_se_lit_en_francais_avec_les_libelles_du_contrat():
    arbre = en_francais(lire_condition({"toutes": [{"porteur.type": {"parmi": ["commune", "epci"]}},
                                                   {"budget.aide_ademe_plafond": {"inf": 5000}},
                                                   {"projet.transition_ecologique": True}]}))
    assert arbre["texte"] == "toutes ces conditions"
    assert [e["texte"] for e in arbre["enfants"]] == [
        "type de porteur est parmi Commune, Intercommunalité (EPCI)",
        "l'aide que l'ADEME peut apporter au plus vaut moins de 5\u202f000\u00a0€",
        "démarche de transition écologique : oui"]


def test_un_passage_coupe_par_les_sauts_de_ligne_du_pdf_est_retrouve_dans_le_texte_brut():
    texte = "Avant.\nLa Région   interviendra en\nfinancement en indiquant la priorité à l’investissement.\nAprès."
    debut, fin = situer(texte, "interviendra en financement en indiquant la priorité à l'investissement")
    assert texte[debut:fin] == "interviendra en\nfinancement en indiquant la priorité à l’investissement"
    assert situer(texte, "interviendra en financement en indiquant la priorité à l'étude") is None


def test_le_texte_se_decoupe_en_morceaux_avec_les_regles_de_chaque_passage():
    texte = "un deux trois quatre cinq"
    morceaux = decouper(texte, [("r.a", "deux trois"), ("r.b", "trois quatre"), ("r.c", "absent")])
    assert morceaux == [{"texte": "un ", "regles": []}, {"texte": "deux trois quatre", "regles": ["r.a", "r.b"]},
                        {"texte": " cinq", "regles": []}]
    assert "".join(m["texte"] for m in morceaux) == texte
