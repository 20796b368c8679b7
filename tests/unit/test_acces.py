"""La politique d'accès, en table : rôle × action × cible."""
import pytest

from instruction.acces import (
    ACTIONS,
    ACTIONS_COMITE,
    ACTIONS_DOSSIER,
    AUTORISE,
    INTERDIT,
    INVISIBLE,
    Agent,
    CibleDossier,
    capacites,
    decider,
    verifier,
    visibles,
)
from instruction.erreurs import ComiteIntrouvable, DossierIntrouvable, Interdit

CLAIRE = Agent("claire@exemple.fr", "porteur")
INSTRUCTRICE = Agent("ines@hautsdefrance.fr", "instructeur")
MEMBRE = Agent("marc@pasdecalais.fr", "membre_comite", frozenset({"lys-2025-12"}))
ADMIN = Agent("admin", "admin")
A_ELLE = CibleDossier("LA-1", proprietaire="claire@exemple.fr")
AUTRE = CibleDossier("LA-2", proprietaire="paul@exemple.fr")
INSCRIT = CibleDossier("LA-3", proprietaire="paul@exemple.fr", comites=frozenset({"lys-2025-12"}))

# (role, action, target) → expected decision; every row was written from the README's roles.
TABLE = [
    (CLAIRE, "voir", A_ELLE, AUTORISE), (CLAIRE, "modifier", A_ELLE, AUTORISE),
    (CLAIRE, "evaluer", A_ELLE, AUTORISE), (CLAIRE, "retirer_demande", A_ELLE, AUTORISE),
    (CLAIRE, "ecrire_message", A_ELLE, AUTORISE),
    (CLAIRE, "corriger", A_ELLE, INTERDIT), (CLAIRE, "changer_etat", A_ELLE, INTERDIT),
    (CLAIRE, "revoir_correction", A_ELLE, INTERDIT), (CLAIRE, "demander_complements", A_ELLE, INTERDIT),
    (CLAIRE, "voir", AUTRE, INVISIBLE), (CLAIRE, "modifier", AUTRE, INVISIBLE), (CLAIRE, "corriger", AUTRE, INVISIBLE),
    (CLAIRE, "voir", INSCRIT, INVISIBLE),
    (INSTRUCTRICE, "voir", AUTRE, AUTORISE), (INSTRUCTRICE, "corriger", AUTRE, AUTORISE),
    (INSTRUCTRICE, "changer_etat", INSCRIT, AUTORISE), (INSTRUCTRICE, "demander_complements", A_ELLE, AUTORISE),
    (MEMBRE, "voir", INSCRIT, AUTORISE), (MEMBRE, "corriger", INSCRIT, INTERDIT),
    (MEMBRE, "modifier", INSCRIT, INTERDIT),
    (MEMBRE, "voir", AUTRE, INVISIBLE), (MEMBRE, "corriger", AUTRE, INVISIBLE),
    (ADMIN, "voir", AUTRE, AUTORISE), (ADMIN, "corriger", INSCRIT, AUTORISE),
]


@pytest.mark.parametrize("agent, action, cible, attendu", TABLE,
                         ids=[f"{a.role}-{act}-{c.reference}" for a, act, c, _ in TABLE])
def test_la_politique_des_dossiers_suit_la_table(agent, action, cible, attendu):
    assert decider(agent, action, cible) == attendu


@pytest.mark.parametrize("agent, code, action, attendu", [
    (MEMBRE, "lys-2025-12", "voir_comite", AUTORISE), (MEMBRE, "lys-2025-12", "decider", INTERDIT),
    (MEMBRE, "lys-2025-12", "gerer_comite", INTERDIT), (MEMBRE, "autre", "voir_comite", INVISIBLE),
    (CLAIRE, "lys-2025-12", "voir_comite", INTERDIT), (INSTRUCTRICE, "autre", "decider", AUTORISE),
    (ADMIN, "autre", "gerer_comite", AUTORISE),
])
def test_la_politique_des_comites(agent, code, action, attendu):
    assert decider(agent, action, comite=code) == attendu


@pytest.mark.parametrize("agent, action, attendu", [
    (CLAIRE, "deposer", AUTORISE), (MEMBRE, "deposer", INTERDIT), (CLAIRE, "lister_comites", INTERDIT),
    (MEMBRE, "lister_comites", AUTORISE), (INSTRUCTRICE, "creer_comite", AUTORISE), (MEMBRE, "creer_comite", INTERDIT),
    (INSTRUCTRICE, "administrer", INTERDIT), (ADMIN, "administrer", AUTORISE), (CLAIRE, "lister_dossiers", AUTORISE),
    # The web app's sections (a role that lacks one gets 403) and one's own account.
    (CLAIRE, "espace_porteur", AUTORISE), (INSTRUCTRICE, "espace_porteur", INTERDIT),
    (MEMBRE, "espace_porteur", INTERDIT), (ADMIN, "espace_porteur", AUTORISE),
    (INSTRUCTRICE, "espace_instruction", AUTORISE),
    (CLAIRE, "espace_instruction", INTERDIT), (MEMBRE, "espace_instruction", INTERDIT),
    (ADMIN, "espace_instruction", AUTORISE), (CLAIRE, "administrer", INTERDIT), (MEMBRE, "administrer", INTERDIT),
    (CLAIRE, "gerer_son_compte", AUTORISE), (INSTRUCTRICE, "gerer_son_compte", AUTORISE),
    (MEMBRE, "gerer_son_compte", AUTORISE), (ADMIN, "gerer_son_compte", AUTORISE),
])
def test_la_politique_des_actions_generales(agent, action, attendu):
    assert decider(agent, action) == attendu


def test_chaque_action_a_une_reponse_pour_chaque_role():
    for role in ("porteur", "instructeur", "membre_comite", "admin"):
        agent = Agent("x", role, frozenset({"c"}))
        for action in ACTIONS:
            cible = CibleDossier("R", "x", frozenset({"c"})) if action in ACTIONS_DOSSIER else None
            code = "c" if action in ACTIONS_COMITE else None
            assert decider(agent, action, cible, code) in (AUTORISE, INTERDIT, INVISIBLE)


def test_une_cible_invisible_se_dit_introuvable_et_une_action_interdite_se_dit_interdite():
    with pytest.raises(DossierIntrouvable):
        verifier(CLAIRE, "voir", AUTRE)
    with pytest.raises(ComiteIntrouvable):
        verifier(MEMBRE, "voir_comite", comite="autre")
    with pytest.raises(Interdit) as erreur:
        verifier(CLAIRE, "corriger", A_ELLE)
    assert erreur.value.genre == "interdit" and "porteur" in erreur.value.message


def test_une_liste_ne_montre_que_ce_que_l_agent_peut_voir():
    tous = [A_ELLE, AUTRE, INSCRIT]
    assert visibles(CLAIRE, tous) == [A_ELLE]
    assert visibles(MEMBRE, tous) == [INSCRIT]
    assert visibles(INSTRUCTRICE, tous) == tous


def test_les_capacites_disent_ce_que_la_page_peut_proposer():
    assert capacites(CLAIRE, A_ELLE) == {"voir": True, "voir_instruction": False, "modifier": True, "evaluer": True,
                                         "retirer_demande": True,
                                         "ecrire_message": True, "deposer_piece": True, "repondre_complements": True,
                                         "changer_etat": False, "corriger": False,
                                         "revoir_correction": False, "demander_complements": False}
    assert capacites(CLAIRE, AUTRE) == dict.fromkeys(ACTIONS_DOSSIER, False)


def test_un_role_inconnu_est_refuse():
    with pytest.raises(ValueError, match="rôle inconnu"):
        Agent("x", "stagiaire")
