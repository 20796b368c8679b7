"""Les valeurs écrites pour durable-rules : du JSON sans exposant, des entiers qu'un double tient
exactement, des dates en jours, des listes jamais vides. Pur Python : ces tests tournent aussi là où
durable-rules ne s'importe pas (Python 3.13)."""
import json
import math
import re
from datetime import date

import pytest

from rules.durable import codage
from rules.durable.erreurs import ErreurMoteurDurable

EXPOSANT = re.compile(r"\d[eE][-+]?\d")


@pytest.mark.parametrize("x, texte", [
    (1e-05, "0.00001"), (1e20, "100000000000000000000.0"), (-2.5e-7, "-0.00000025"), (0.5, "0.5"),
    (3.0, "3.0"), (-0.0, "-0.0"), (1e16, "10000000000000000.0"),
])
def test_un_nombre_est_ecrit_sans_exposant_et_reste_un_double(x, texte):
    ecrit = codage.nombre(x)
    assert (ecrit, type(ecrit)) == (texte, codage.Brut)
    assert float(ecrit) == x


def test_un_tres_petit_nombre_garde_toute_sa_valeur():
    ecrit = codage.nombre(1e-300)
    assert not EXPOSANT.search(ecrit) and float(ecrit) == 1e-300


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf])
def test_un_nombre_non_fini_est_refuse(x):
    with pytest.raises(ErreurMoteurDurable, match="non fini"):
        codage.nombre(x)


def test_le_json_d_un_ruleset_n_a_pas_d_exposant():
    definition = {"r0": {"all": [{"m": {"$or": [{"$lt": {"c0": 1e-05}}, {"c1": "é\"\\"}, {"c2": True}]}}],
                         "cap": 65535}}
    texte = codage.json_ruleset(definition)
    assert not EXPOSANT.search(texte)
    assert json.loads(texte) == definition
    assert texte == codage.dumps(json.loads(texte)).replace("1e-05", "0.00001")  # the same text otherwise


def test_un_entier_qu_un_double_ne_tient_pas_est_refuse_dans_un_ruleset():
    assert codage.json_ruleset({"c0": 2 ** 53}) == '{"c0":9007199254740992}'
    with pytest.raises(ErreurMoteurDurable, match="entier trop grand"):
        codage.json_ruleset({"c0": 2 ** 53 + 1})


@pytest.mark.parametrize("v, envoye", [
    (0.5, 0.5), (0.0, 0.0), (1e15, 1e15), (42, 42), (-(2 ** 53), -(2 ** 53)), ("a", None),
    (date(2025, 1, 1), date(2025, 1, 1).toordinal()), (("velo", "nature"), ["", "velo", "nature"]), ((), [""]),
    (frozenset({"velo"}), ["", "velo"]),
])
def test_une_valeur_est_envoyee_telle_que_le_moteur_la_compare(v, envoye):
    if envoye is None:
        with pytest.raises(ErreurMoteurDurable, match="intransmissible"):
            codage.valeur("champ", v)
    else:
        assert codage.valeur("champ", v) == envoye


@pytest.mark.parametrize("v", [1e-5, 1e-300, 1e16, 2.5e20])
def test_un_double_que_json_ecrirait_avec_un_exposant_est_ecrit_a_la_main(v):
    ecrit = codage.valeur("champ", v)
    assert type(ecrit) is codage.Brut and float(ecrit) == v


@pytest.mark.parametrize("v, message", [
    (math.nan, "non fini"), (math.inf, "non fini"), (2 ** 60, "entier trop grand"), (object(), "intransmissible"),
    (("velo", 1.5e-9), "liste de textes"),
])
def test_une_valeur_intransmissible_est_une_erreur_claire(v, message):
    with pytest.raises(ErreurMoteurDurable, match=message):
        codage.valeur("budget.cout_total_ht", v)


CHAMPS = (("budget.cout_total_ht", "c0"), ("projet.thematiques", "c1"), ("dossier.date_reference", "c2"),
          ("territoire.epci", "c3"), ("porteur.public", "c4"))


def test_le_texte_d_un_lot_porte_le_temoin_puis_un_fait_par_dossier():
    lot = [{"budget.cout_total_ht": 1e-5, "projet.thematiques": ("velo",), "autre": 1},
           {"territoire.epci": 'é"\\', "porteur.public": False, "dossier.date_reference": date(2025, 1, 1)},
           {"budget.cout_total_ht": None}, {"budget.cout_total_ht": 2.5e20}, {"budget.cout_total_ht": 12.5}]
    temoin = {"id": 5, "sid": "s", "__temoin": 1}
    texte = codage.texte_du_lot(lot, CHAMPS, "s", temoin)
    assert not EXPOSANT.search(texte)
    faits = json.loads(texte)
    assert faits[0] == temoin
    par_id = {f["id"]: f for f in faits[1:]}
    assert sorted(par_id) == [0, 1, 2, 3, 4]
    assert par_id[0] == {"id": 0, "sid": "s", "c0": 1e-5, "c1": ["", "velo"]}  # unread fields are not sent
    assert par_id[1] == {"id": 1, "sid": "s", "c3": 'é"\\', "c4": False, "c2": date(2025, 1, 1).toordinal()}
    assert par_id[2] == {"id": 2, "sid": "s"}  # an unknown field is absent
    assert par_id[3]["c0"] == 2.5e20 and par_id[4]["c0"] == 12.5
    assert [f["id"] for f in faits[-2:]] == [0, 3]  # facts with a hand-written number go last


def test_un_lot_sans_nombre_ecrit_a_la_main_est_ecrit_d_un_coup():
    lot = [{"budget.cout_total_ht": 3}, {}]
    texte = codage.texte_du_lot(lot, CHAMPS, "s", {"id": 2})
    assert texte == '[{"id":2},{"id":0,"sid":"s","c0":3},{"id":1,"sid":"s"}]'


# --- The facts of a meeting, for the joins: only codes are sent ------------------------------------

SEANCE = (("sorte", "c0"), ("siren", "c1"), ("cout", "c2"))


def seance(faits, constantes=None):
    texte = codage.texte_de_la_seance(faits, SEANCE, frozenset({"dossier"}), constantes or {("texte", "dossier"): "0"},
                                      "s", {"id": len(faits), "sid": "s", "__temoin": 1})
    return None if texte is None else json.loads(texte)[1:]


def test_chaque_valeur_comparable_distincte_devient_un_code():
    faits = [{"sorte": "dossier", "siren": "1", "cout": 180000}, {"sorte": "dossier", "siren": 1, "cout": 180000.0},
             {"sorte": "autre", "siren": "1"}, {"sorte": "dossier", "siren": None, "cout": math.nan},
             {"sorte": "dossier", "siren": True}]
    assert seance(faits) == [
        {"id": 0, "sid": "s", "n": 0, "c0": "0", "c1": "1", "c2": "2"},
        {"id": 1, "sid": "s", "n": 1, "c0": "0", "c1": "3", "c2": "2"},  # 1 is not "1"; 180000.0 is 180000
        {"id": 3, "sid": "s", "n": 3, "c0": "0"},  # unknown and NaN are absent: they join nothing
        {"id": 4, "sid": "s", "n": 4, "c0": "0", "c1": "4"},  # True is not 1
    ]


def test_une_seance_sans_fait_des_sortes_jointes_n_envoie_rien():
    assert seance([]) is None
    assert seance([{"sorte": "autre"}, {"siren": "1"}, {"sorte": 3}]) is None


def test_une_valeur_non_comparable_ou_trop_de_valeurs_sont_des_erreurs(monkeypatch):
    with pytest.raises(ErreurMoteurDurable, match="siren : valeur de type list non comparable"):
        seance([{"sorte": "dossier", "siren": ["1"]}])
    monkeypatch.setattr(codage, "CODES_SURS", 3)
    assert seance([{"sorte": "dossier", "siren": "1", "cout": 2}])  # three codes: "dossier", "1", 2
    with pytest.raises(ErreurMoteurDurable, match="plus de 3 valeurs distinctes"):
        seance([{"sorte": "dossier", "siren": "1", "cout": 2}, {"sorte": "dossier", "siren": "2"}])
