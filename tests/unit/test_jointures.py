"""Les jointures du comité technique : la référence Python, et durable-rules qui rend exactement les
mêmes paires, tous les faits d'une séance dans une seule session."""
import math
import threading

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules import durable as moteur_durable
from rules.durable import codage, session
from rules.jointures import Jointure, paires_python, valeur_comparable
from tests.unit.cas_durable import EspionDuMoteur

# The Python reference is tested everywhere; the durable tests only where durable-rules imports.
durable = pytest.mark.skipif(not moteur_durable.disponible(),
                             reason="durable-rules ne s'importe pas ici (Python 3.13 ?)")

PORTEUR = Jointure("comite.porteur_en_double", ("dossier", "dossier"), (("siren", "siren"),))
PROJET = Jointure("comite.projet_en_double", ("dossier", "dossier"), (("commune", "commune"), ("cout", "cout")))
MINIMIS = Jointure("comite.minimis_cumul", ("dossier", "dossier"), (("siren", "siren"),),
                   ((("type", "entreprise"),), (("type", "entreprise"),)))
DEMANDES = Jointure("comite.demandes_par_financeur", ("financeur", "demande"), (("code", "financeur"),))
COMITE = (PORTEUR, PROJET, MINIMIS, DEMANDES)


def dossier(siren=None, **champs):
    return {"sorte": "dossier", "siren": siren, **champs}


# (jointures, faits, the pairs paires_python must give): the durable engine must give them too.
CAS = {
    "le même porteur deux fois": (
        (PORTEUR,), [dossier("123456789"), dossier("987654321"), dossier("123456789")],
        {PORTEUR.id: [(0, 2)]}),
    "trois dossiers du même SIREN": (
        (PORTEUR,), [dossier("1"), dossier("1"), dossier("2"), dossier("1")],
        {PORTEUR.id: [(0, 1), (0, 3), (1, 3)]}),
    "un SIREN inconnu ne joint jamais": (
        (PORTEUR,), [dossier(None), dossier(None), {"sorte": "dossier"}, {"sorte": "dossier"}, dossier(math.nan),
                     dossier(math.nan), dossier("1")],
        {PORTEUR.id: []}),
    "les filtres de chaque côté": (
        (MINIMIS,), [dossier("1", type="entreprise"), dossier("1", type="commune"), dossier("1", type="entreprise"),
                     dossier("1"), dossier("2", type="entreprise")],
        {MINIMIS.id: [(0, 2)]}),
    "financeur et demande": (
        (DEMANDES,), [{"sorte": "financeur", "code": "region_hdf"}, {"sorte": "demande", "financeur": "region_hdf"},
                      {"sorte": "demande", "financeur": "ademe"}, {"sorte": "financeur", "code": "ademe"},
                      {"sorte": "demande", "financeur": "region_hdf"}, {"sorte": "demande", "financeur": None},
                      {"sorte": "financeur", "code": "leader"}],
        {DEMANDES.id: [(0, 1), (0, 4), (3, 2)]}),
    "180000 et 180000.0 sont le même montant": (
        (PROJET,), [dossier(commune="62119", cout=180000), dossier(commune="62119", cout=180000.0),
                    dossier(commune="62119", cout="180000"), dossier(commune="62119", cout=180000.5)],
        {PROJET.id: [(0, 1)]}),
    "toutes les égalités doivent tenir": (
        (PROJET,), [dossier(commune="62119", cout=1.5), dossier(commune="59400", cout=1.5),
                    dossier(commune="62119", cout=1.5), dossier(commune="62119", cout=None)],
        {PROJET.id: [(0, 2)]}),
    "un texte n'est ni un nombre ni un booléen": (
        (PORTEUR,), [dossier("1"), dossier(1), dossier(True), dossier("true"), dossier(1.0), dossier(False),
                     dossier(0)],
        {PORTEUR.id: [(1, 4)]}),
    "au-delà de dix faits, l'ordre reste numérique": (  # the engine compares its "id" field as text
        (PORTEUR,), [dossier(str(k)) for k in range(12)] + [dossier("2"), dossier("10")],
        {PORTEUR.id: [(2, 12), (10, 13)]}),
    "les guillemets et les accents": (
        (PORTEUR,), [dossier('l"a\\b'), dossier("é"), dossier('l"a\\b'), dossier("é"), dossier("e")],
        {PORTEUR.id: [(0, 2), (1, 3)]}),
    "les quatre jointures du comité à la fois": (
        COMITE, [dossier("1", type="entreprise", commune="62119", cout=10.0),
                 dossier("1", type="entreprise", commune="62119", cout=10),
                 {"sorte": "financeur", "code": "region_hdf"}, {"sorte": "demande", "financeur": "region_hdf"},
                 {"sorte": "autre", "siren": "1"}, {"siren": "1"}],
        {PORTEUR.id: [(0, 1)], PROJET.id: [(0, 1)], MINIMIS.id: [(0, 1)], DEMANDES.id: [(2, 3)]}),
}


@pytest.mark.parametrize("nom", CAS)
def test_la_reference_python_rend_les_paires_attendues(nom):
    jointures, faits, attendu = CAS[nom]
    assert paires_python(jointures, faits) == attendu


@durable
@pytest.mark.parametrize("nom", CAS)
def test_durable_rend_les_memes_paires_que_python(nom):
    jointures, faits, attendu = CAS[nom]
    assert moteur_durable.JointuresDurables(jointures).paires(faits) == attendu


def test_un_fait_ne_se_joint_jamais_a_lui_meme():
    assert paires_python((PORTEUR,), [dossier("1")]) == {PORTEUR.id: []}


def test_une_jointure_se_lit_depuis_des_listes():
    j = Jointure("j", ["dossier", "dossier"], [["siren", "siren"]],
                 [[["type", "entreprise"]], [["type", "entreprise"]]])
    assert j == Jointure("j", ("dossier", "dossier"), (("siren", "siren"),), MINIMIS.filtres)
    assert hash(j)  # the caller keeps one engine per tuple of jointures


@pytest.mark.parametrize("arguments, message", [
    (("", ("dossier", "dossier"), (("siren", "siren"),)), "sans identifiant"),
    (("j", ("dossier",), (("siren", "siren"),)), "deux sortes"),
    (("j", ("dossier", ""), (("siren", "siren"),)), "deux sortes"),
    (("j", ("dossier", "dossier"), ()), "au moins une égalité"),
    (("j", ("dossier", "dossier"), (("siren",),)), "égalité"),
    (("j", ("dossier", "dossier"), (("siren", "siren"),), ((),)), "chaque côté"),
    (("j", ("dossier", "dossier"), (("siren", "siren"),), ((("type", None),), (("type", None),))), "valeur de filtre"),
    (("j", ("dossier", "dossier"), (("siren", "siren"),), ((("cout", math.nan),), (("cout", math.nan),))),
     "valeur de filtre"),
    (("j", ("dossier", "dossier"), (("siren", "siren_parent"),)), "symétriques"),
    (("j", ("dossier", "dossier"), (("siren", "siren"),), ((("type", "entreprise"),), ())), "symétriques"),
    (("j", ("dossier", "dossier"), 3), "suites"),
])
def test_une_jointure_mal_formee_est_refusee(arguments, message):
    with pytest.raises(ValueError, match=message):
        Jointure(*arguments)


def test_une_jointure_symetrique_entre_champs_differents_est_acceptee():
    j = Jointure("croisee", ("dossier", "dossier"), (("siren", "commune"), ("commune", "siren")),
                 ((("cout", 1),), (("cout", 1.0),)))
    faits = [dossier("a", commune="b", cout=1.0), dossier("b", commune="a", cout=1), dossier("b", commune="a")]
    assert paires_python((j,), faits) == {"croisee": [(0, 1)]}


def test_deux_jointures_du_meme_identifiant_sont_refusees():
    with pytest.raises(ValueError, match="en double"):
        paires_python((PORTEUR, PORTEUR), [])


def test_une_valeur_ni_texte_ni_booleen_ni_nombre_est_une_erreur():
    with pytest.raises(TypeError, match="non comparable"):
        paires_python((PORTEUR,), [dossier(("1",)), dossier(("1",))])
    assert valeur_comparable(180000) == valeur_comparable(180000.0) != valeur_comparable("180000")
    assert valeur_comparable(True) != valeur_comparable(1)


# --- durable-rules ----------------------------------------------------------------------------

@durable
def test_une_valeur_non_comparable_est_une_erreur_du_moteur_durable():
    with pytest.raises(moteur_durable.ErreurMoteurDurable, match="non comparable"):
        moteur_durable.JointuresDurables((PORTEUR,)).paires([dossier(["1"]), dossier("1")])


@durable
def test_sans_jointures_ou_sans_faits():
    assert moteur_durable.JointuresDurables(()).paires([dossier("1"), dossier("1")]) == {}
    assert moteur_durable.JointuresDurables(COMITE).paires([]) == {j.id: [] for j in COMITE}
    assert moteur_durable.JointuresDurables(COMITE).paires([{"sorte": "autre"}]) == {j.id: [] for j in COMITE}


@pytest.fixture
def espion(monkeypatch) -> EspionDuMoteur:
    espion = EspionDuMoteur(session._moteur)
    monkeypatch.setattr(session, "_moteur", espion)
    return espion


@durable
def test_deux_moteurs_sur_les_memes_jointures_partagent_le_ruleset(espion):
    moteur_durable.JointuresDurables(COMITE)
    compilations = espion.compilations
    second = moteur_durable.JointuresDurables(COMITE)
    assert espion.compilations == compilations  # a ruleset is never unloaded: none is compiled again
    _, faits, attendu = CAS["les quatre jointures du comité à la fois"]
    assert second.paires(faits) == attendu


@durable
def test_1500_seances_de_suite_sans_depasser_les_sessions_du_moteur():
    moteur = moteur_durable.JointuresDurables(COMITE)
    _, faits, attendu = CAS["les quatre jointures du comité à la fois"]
    for _ in range(1500):  # past 1023 undeleted sessions, the engine fails
        assert moteur.paires(faits) == attendu


@durable
@pytest.mark.parametrize("n", [300, 400])
def test_toutes_les_paires_de_centaines_de_dossiers_du_meme_siren(n):
    # 400 dossiers make 79 800 pairs: more than one action message can carry (cap 65 535).
    faits = [dossier("123456789", type="entreprise") for _ in range(n)]
    paires = moteur_durable.JointuresDurables((PORTEUR, MINIMIS)).paires(faits)
    attendu = [(i, j) for i in range(n) for j in range(i + 1, n)]
    assert paires == {PORTEUR.id: attendu, MINIMIS.id: attendu}


@durable
def test_trop_de_jointures_vraies_a_la_fois_scinde_le_ruleset(espion):
    # One fact in 40 jointures on both sides overflows the engine's 64-entry alpha stack (error 303).
    jointures = tuple(Jointure(f"t.j{k}", ("dossier", "dossier"), ((f"f{k}", f"f{k}"),)) for k in range(40))
    faits = [{"sorte": "dossier", **{f"f{k}": "x" for k in range(40)}} for _ in range(3)]
    moteur = moteur_durable.JointuresDurables(jointures)
    assert moteur.paires(faits) == paires_python(jointures, faits)
    assert espion.refus() >= 1 and len(espion.rulesets_affirmes()) >= 2  # refused whole, taken in parts


def test_les_codes_envoyes_ont_des_empreintes_fnv1a_distinctes():
    # The engine crashes when two different join values share a 32-bit FNV-1a hash: the codes
    # (decimal texts of 0 … CODES_SURS - 1) must not.
    def fnv1a(texte: str) -> int:
        h = 2166136261
        for octet in texte.encode():
            h = ((h ^ octet) * 16777619) & 0xFFFFFFFF
        return h

    borne = codage.CODES_SURS
    assert len({fnv1a(str(k)) for k in range(borne)}) == borne
    assert fnv1a(str(borne)) in {fnv1a(str(k)) for k in range(borne)}


@durable
def test_plusieurs_fils_a_la_fois():
    moteur = moteur_durable.JointuresDurables(COMITE)
    seances = [[dossier(str(i % (k + 2)), type="entreprise", commune="62119", cout=float(i % 3)) for i in range(60)]
               for k in range(4)]
    fautes: list[BaseException] = []

    def travailler(faits):
        try:
            for _ in range(10):
                assert moteur.paires(faits) == paires_python(COMITE, faits)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            fautes.append(exc)

    fils = [threading.Thread(target=travailler, args=(faits,)) for faits in seances]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert not fautes


@durable
def test_indisponible(monkeypatch):
    monkeypatch.setattr(session, "_moteur", None)
    with pytest.raises(moteur_durable.MoteurDurableIndisponible):
        moteur_durable.JointuresDurables(COMITE)


# --- Property: the same pairs as the Python reference -------------------------------------------

JOINTURES_PROPRIETE = (
    *COMITE,
    Jointure("t.croisee", ("dossier", "demande"), (("cout", "montant"), ("siren", "financeur")),
             ((("type", True),), (("statut", 1.0),))),
    Jointure("t.symetrique", ("dossier", "dossier"), (("siren", "commune"), ("commune", "siren")),
             ((("type", "entreprise"),), (("type", "entreprise"),))),
)
# Few distinct values, so that joins happen; among them, pairs that crash the engine when sent raw.
VALEURS = st.one_of(
    st.none(),
    st.sampled_from(["1", "180000", "true", "entreprise", "region_hdf", 'l"a\\b', "é", ""]),
    st.sampled_from([1, 0, 180000, 2 ** 60, 2 ** 60 + 1]),
    st.sampled_from([1.0, 0.0, -0.0, 180000.0, 0.3, 0.30000000000000004, float(2 ** 60), math.nan, math.inf, 1e-5]),
    st.booleans(),
)
CHAMPS = ("siren", "commune", "cout", "type", "code", "financeur", "montant", "statut")
FAITS = st.lists(st.fixed_dictionaries({}, optional={
    "sorte": st.sampled_from(["dossier", "demande", "financeur", "autre"]), **{c: VALEURS for c in CHAMPS}}),
    max_size=25)


@pytest.fixture(scope="module")
def moteur_propriete():
    return moteur_durable.JointuresDurables(JOINTURES_PROPRIETE)


@durable
@settings(max_examples=200, deadline=None)
@given(FAITS)
@example([{"sorte": "dossier", "siren": v, "commune": v, "type": "entreprise"} for v in
          (0.3, 0.30000000000000004, 0.3, math.nan, math.nan)])  # same hash, and NaN never joins
@example([{"sorte": "dossier", "cout": c, "commune": "62119"} for c in (180000, 180000.0, "180000", True, 1, 1.0)])
@example([{"sorte": "financeur", "code": "region_hdf"}, {"sorte": "demande", "financeur": "region_hdf"},
          {"sorte": "dossier", "cout": 1.0, "siren": "region_hdf", "type": True},
          {"sorte": "demande", "montant": 1, "financeur": "region_hdf", "statut": 1.0}])  # the crossed joins
def test_memes_paires_que_python_sur_des_faits_au_hasard(moteur_propriete, faits):
    assert moteur_propriete.paires(faits) == paires_python(JOINTURES_PROPRIETE, faits)
