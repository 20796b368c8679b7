"""Les comptes, sur des dépôts en mémoire : création par un administrateur, inscription d'un porteur et
confirmation de son adresse, rôles, mot de passe, journal."""
from datetime import date, datetime, timezone

import pytest

from instruction.acces import Agent
from instruction.comite.reunion import Comite
from instruction.comptes import services
from instruction.comptes.compte import Compte, lire_comites, normaliser_email
from instruction.comptes.erreurs import CompteIntrouvable
from instruction.comptes.mots_de_passe import Hacheur, erreurs_mot_de_passe
from instruction.erreurs import Interdit
from tests.unit.faux import FausseUniteComptes

HACHEUR = Hacheur.rapide()
ADMIN = Agent.local("admin-local")
MDP = "correct-horse-battery"
QUAND = datetime(2025, 6, 1, 10, tzinfo=timezone.utc)


def horloge():
    return QUAND


@pytest.fixture
def uow():
    return FausseUniteComptes()


def creer(uow, email="claire@exemple.fr", role="porteur", **options):
    return services.creer_compte(uow, options.pop("agent", ADMIN), email, role, options.pop("mdp", MDP),
                                 horloge=horloge, hacheur=HACHEUR, **options)


def test_l_adresse_est_rangee_en_minuscules_sans_espaces():
    assert normaliser_email("  Claire.Martin@Exemple.FR ") == "claire.martin@exemple.fr"
    assert lire_comites("lys-1, lys-2;lys-3  lys-1") == {"lys-1", "lys-2", "lys-3"}


@pytest.mark.parametrize("mot_de_passe, message", [
    ("", "Saisissez un mot de passe"),
    ("onze-caract", "Le mot de passe doit contenir au moins 12 caractères"),
    (" " * 12, "Le mot de passe ne peut pas être fait que d’espaces"),
    ("x" * 257, "Le mot de passe doit contenir 256 caractères au plus"),
])
def test_un_mot_de_passe_hors_politique_est_refuse_sur_son_champ(mot_de_passe, message):
    erreurs = erreurs_mot_de_passe(mot_de_passe)
    assert [(e.champ, e.message) for e in erreurs] == [("mot_de_passe", message)]


def test_douze_caracteres_suffisent_et_la_confirmation_doit_etre_identique():
    assert erreurs_mot_de_passe("douze-caract") == []
    assert erreurs_mot_de_passe("douze-caract", "douze-caract") == []
    assert [e.champ for e in erreurs_mot_de_passe("douze-caract", "douze-caracT")] == ["confirmation"]


def test_un_administrateur_cree_un_compte_confirme_et_le_journal_le_dit(uow):
    assert creer(uow, " Claire@Exemple.fr", nom="Claire Martin", adresse="203.0.113.7") == []
    compte = uow.publie["comptes"]["claire@exemple.fr"]
    assert (compte.role, compte.nom, compte.confirme, compte.actif) == ("porteur", "Claire Martin", True, True)
    assert compte.hash_mot_de_passe.startswith("$argon2id$") and MDP not in compte.hash_mot_de_passe
    assert compte.agent() == Agent("claire@exemple.fr", "porteur", frozenset(), "Claire Martin")
    [evenement] = uow.publie["audit"]["evenements"]
    assert (evenement.genre, evenement.acteur, evenement.cible, evenement.adresse, evenement.quand) == (
        "creation_compte", "admin-local", "claire@exemple.fr", "203.0.113.7", QUAND)


def test_seul_un_administrateur_cree_des_comptes(uow):
    with pytest.raises(Interdit):
        creer(uow, agent=Agent("ines@region.fr", "instructeur"))
    assert uow.publie["comptes"] == {}


def test_chaque_faute_de_saisie_nomme_son_champ_et_rien_n_est_cree(uow):
    erreurs = services.creer_compte(uow, ADMIN, "pas-une-adresse", "stagiaire", "court", hacheur=HACHEUR)
    assert [e.champ for e in erreurs] == ["email", "role", "mot_de_passe"]
    assert uow.publie["comptes"] == {}


def test_une_adresse_deja_prise_est_une_erreur_du_champ_email(uow):
    creer(uow)
    assert [(e.champ, e.message) for e in creer(uow, "CLAIRE@exemple.fr")] == [
        ("email", "Un compte existe déjà pour cette adresse")]


def test_un_membre_du_comite_est_rattache_a_des_comites_qui_existent(uow):
    with uow:
        uow.comites.ajouter(Comite(code="lys-2025-12", date=date(2025, 12, 11), contrat="lys_artois", membres=[]))
        uow.valider()
    assert [e.champ for e in creer(uow, "marc@pdc.fr", "membre_comite", comites={"inconnu"})] == ["comites"]
    assert [e.champ for e in creer(uow, "paul@pdc.fr", "instructeur", comites={"lys-2025-12"})] == ["comites"]
    assert creer(uow, "marc@pdc.fr", "membre_comite", comites={"lys-2025-12"}) == []
    assert uow.publie["comptes"]["marc@pdc.fr"].agent().comites == {"lys-2025-12"}


def test_un_porteur_s_inscrit_et_ne_devient_confirme_qu_en_suivant_son_lien(uow):
    inscription = services.inscrire(uow, "paul@exemple.fr", MDP, MDP, "Paul", horloge=horloge, hacheur=HACHEUR)
    assert inscription.erreurs == [] and inscription.secret
    compte = uow.publie["comptes"]["paul@exemple.fr"]
    assert (compte.role, compte.confirme) == ("porteur", False)
    assert services.confirmer_adresse(uow, "mauvais-secret") is None
    assert services.confirmer_adresse(uow, inscription.secret, horloge=horloge).email == "paul@exemple.fr"
    assert uow.publie["comptes"]["paul@exemple.fr"].confirme
    assert services.confirmer_adresse(uow, inscription.secret) is None  # a link serves once


def test_une_inscription_sur_une_adresse_prise_repond_pareil_sans_rien_changer(uow):
    creer(uow, "paul@exemple.fr", "instructeur")
    avant = uow.publie["comptes"]["paul@exemple.fr"]
    inscription = services.inscrire(uow, "Paul@exemple.fr", "autre-mot-de-passe", "autre-mot-de-passe",
                                    hacheur=HACHEUR)
    assert (inscription.erreurs, inscription.secret) == ([], None)
    assert uow.publie["comptes"]["paul@exemple.fr"] == avant


def test_une_inscription_invalide_dit_chaque_champ(uow):
    inscription = services.inscrire(uow, "", MDP, MDP + "x", "N" * 121, hacheur=HACHEUR)
    assert [e.champ for e in inscription.erreurs] == ["email", "nom", "confirmation"]


def test_un_administrateur_change_un_role_et_le_journal_dit_avant_et_apres(uow):
    creer(uow)
    assert services.changer_role(uow, ADMIN, "claire@exemple.fr", "instructeur", adresse="::1") == []
    assert uow.publie["comptes"]["claire@exemple.fr"].role == "instructeur"
    evenement = uow.publie["audit"]["evenements"][-1]
    assert (evenement.genre, evenement.detail, evenement.cible) == ("changement_role", "porteur → instructeur",
                                                                    "claire@exemple.fr")
    with pytest.raises(CompteIntrouvable):
        services.changer_role(uow, ADMIN, "personne@exemple.fr", "admin")
    with pytest.raises(Interdit):
        services.changer_role(uow, Agent("claire@exemple.fr", "instructeur"), "claire@exemple.fr", "admin")


def test_le_dernier_administrateur_garde_son_role(uow):
    creer(uow, "chef@region.fr", "admin")
    erreurs = services.changer_role(uow, ADMIN, "chef@region.fr", "instructeur")
    assert [e.champ for e in erreurs] == ["role"]
    creer(uow, "adjointe@region.fr", "admin")
    assert services.changer_role(uow, ADMIN, "chef@region.fr", "instructeur") == []


def test_un_compte_desactive_puis_reactive_est_journalise_et_garde(uow):
    creer(uow)
    assert services.changer_activite(uow, ADMIN, " Claire@Exemple.fr", False, adresse="::1", horloge=horloge) == []
    assert uow.publie["comptes"]["claire@exemple.fr"].actif is False
    assert services.changer_activite(uow, ADMIN, "claire@exemple.fr", True, horloge=horloge) == []
    assert uow.publie["comptes"]["claire@exemple.fr"].actif is True
    genres = [e.genre for e in uow.publie["audit"]["evenements"][-2:]]
    assert genres == ["desactivation_compte", "reactivation_compte"]
    nombre = len(uow.publie["audit"]["evenements"])
    assert services.changer_activite(uow, ADMIN, "claire@exemple.fr", True) == []  # already active: nothing logged
    assert len(uow.publie["audit"]["evenements"]) == nombre
    with pytest.raises(CompteIntrouvable):
        services.changer_activite(uow, ADMIN, "personne@exemple.fr", False)
    with pytest.raises(Interdit):
        services.changer_activite(uow, Agent("claire@exemple.fr", "instructeur"), "claire@exemple.fr", False)


def test_ni_soi_meme_ni_le_dernier_administrateur_ne_se_desactivent(uow):
    creer(uow, "chef@region.fr", "admin")
    assert [e.champ for e in services.changer_activite(uow, Agent("chef@region.fr", "admin"), "chef@region.fr",
                                                       False)] == ["actif"]
    assert [e.message for e in services.changer_activite(uow, ADMIN, "chef@region.fr", False)] == [
        "C’est le dernier compte administrateur actif : il reste actif"]
    creer(uow, "adjointe@region.fr", "admin")
    assert services.changer_activite(uow, ADMIN, "chef@region.fr", False) == []
    assert uow.publie["comptes"]["chef@region.fr"].actif is False


def test_changer_son_mot_de_passe_demande_l_actuel_et_ferme_les_autres_sessions(uow):
    from instruction.comptes import sessions
    creer(uow)
    claire = uow.publie["comptes"]["claire@exemple.fr"].agent()
    with uow:
        for _ in range(2):
            uow.sessions.ajouter(sessions.nouvelle("claire@exemple.fr", QUAND)[1])
        uow.valider()
    ici, ailleurs = sorted(uow.publie["sessions"])
    erreurs = services.changer_mot_de_passe(uow, claire, "faux-mot-de-passe", "nouveau-mot-de-passe",
                                            "nouveau-mot-de-passe", hacheur=HACHEUR)
    assert [(e.champ, e.message) for e in erreurs] == [("mot_de_passe_actuel", "Le mot de passe actuel est incorrect")]
    assert [e.champ for e in services.changer_mot_de_passe(uow, claire, MDP, "court", "court", hacheur=HACHEUR)] == [
        "nouveau_mot_de_passe"]
    assert services.changer_mot_de_passe(uow, claire, MDP, "nouveau-mot-de-passe", "nouveau-mot-de-passe",
                                         session=ici, hacheur=HACHEUR) == []
    compte = uow.publie["comptes"]["claire@exemple.fr"]
    assert HACHEUR.verifier(compte.hash_mot_de_passe, "nouveau-mot-de-passe")[0]
    assert list(uow.publie["sessions"]) == [ici]
    assert uow.publie["audit"]["evenements"][-1].genre == "changement_mot_de_passe"


def test_une_empreinte_aux_parametres_anciens_est_acceptee_et_signalee_a_refaire():
    ancien, actuel = Hacheur.rapide(), Hacheur()
    empreinte = ancien.hacher(MDP)
    assert actuel.verifier(empreinte, MDP) == (True, True)
    assert actuel.verifier(empreinte, "autre chose") == (False, False)
    assert actuel.verifier("pas une empreinte", MDP) == (False, False)


def test_seul_l_administrateur_lit_les_comptes_et_le_journal(uow):
    creer(uow)
    assert [c.email for c in services.lister_comptes(uow, ADMIN)] == ["claire@exemple.fr"]
    assert [e.genre for e in services.journal(uow, ADMIN)] == ["creation_compte"]
    for action in (services.lister_comptes, services.journal):
        with pytest.raises(Interdit):
            action(uow, Agent("claire@exemple.fr", "porteur"))


def test_un_compte_sait_son_libelle_et_son_nom_affiche():
    compte = Compte("x@exemple.fr", "membre_comite", "", "h", QUAND)
    assert (compte.nom_affiche, compte.libelle_role, compte.confirme) == ("x@exemple.fr", "Membre du comité", False)


def test_l_administrateur_consulte_un_compte_par_son_adresse(uow):
    creer(uow)
    assert services.consulter_compte(uow, ADMIN, " CLAIRE@exemple.fr").email == "claire@exemple.fr"
    with pytest.raises(CompteIntrouvable):
        services.consulter_compte(uow, ADMIN, "personne@exemple.fr")
    with pytest.raises(Interdit):
        services.consulter_compte(uow, Agent("claire@exemple.fr", "porteur"), "claire@exemple.fr")
