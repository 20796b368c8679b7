"""Se connecter, rester connecté, se déconnecter ; les jetons d'API : sur des dépôts en mémoire."""
from datetime import datetime, timedelta, timezone

import pytest

from instruction.acces import Agent
from instruction.comptes import connexion, jetons, services, services_jetons
from instruction.comptes.erreurs import JetonDejaRevoque, JetonIntrouvable
from instruction.comptes.jetons import empreinte
from instruction.comptes.mots_de_passe import Hacheur
from instruction.erreurs import Interdit
from tests.unit.faux import FausseUniteComptes

HACHEUR = Hacheur.rapide()
ADMIN = Agent.local("admin-local")
MDP = "correct-horse-battery"
T0 = datetime(2025, 6, 1, 10, tzinfo=timezone.utc)


class Horloge:
    def __init__(self):
        self.instant = T0

    def __call__(self):
        return self.instant

    def avancer(self, **duree):
        self.instant += timedelta(**duree)


@pytest.fixture
def horloge():
    return Horloge()


@pytest.fixture
def uow():
    uow = FausseUniteComptes()
    assert services.creer_compte(uow, ADMIN, "claire@exemple.fr", "instructeur", MDP, "Claire",
                                 hacheur=HACHEUR) == []
    return uow


def se_connecter(uow, horloge, mdp=MDP, email="claire@exemple.fr", adresse="203.0.113.7", **options):
    return connexion.connecter(uow, email, mdp, adresse, horloge=horloge, hacheur=HACHEUR, **options)


def test_une_connexion_reussie_ouvre_une_session_en_base_et_le_journal_le_dit(uow, horloge):
    resultat = se_connecter(uow, horloge, email=" Claire@Exemple.fr")
    assert resultat.refus is None and resultat.compte.email == "claire@exemple.fr"
    assert list(uow.publie["sessions"]) == [empreinte(resultat.secret)]  # only the hash of the secret is stored
    courante = connexion.session_courante(uow, resultat.secret, horloge)
    assert courante.compte.agent() == Agent("claire@exemple.fr", "instructeur", frozenset(), "Claire")
    evenement = uow.publie["audit"]["evenements"][-1]
    assert (evenement.genre, evenement.acteur, evenement.adresse) == ("connexion", "claire@exemple.fr", "203.0.113.7")


def test_un_mauvais_mot_de_passe_et_une_adresse_inconnue_se_disent_pareil(uow, horloge):
    assert se_connecter(uow, horloge, "mauvais-mot-de-passe").refus == "identifiants"
    assert se_connecter(uow, horloge, email="personne@exemple.fr").refus == "identifiants"
    assert uow.publie["sessions"] == {}
    assert [e.genre for e in uow.publie["audit"]["evenements"][-2:]] == ["echec_connexion", "echec_connexion"]


def test_la_connexion_remplace_la_session_anonyme(uow, horloge):
    secret_anonyme, anonyme = connexion.ouvrir_session_anonyme(uow, "203.0.113.7", horloge)
    assert connexion.session_courante(uow, secret_anonyme, horloge).compte is None
    resultat = se_connecter(uow, horloge, anonyme=anonyme.empreinte)
    assert connexion.session_courante(uow, secret_anonyme, horloge) is None
    assert resultat.session.csrf != anonyme.csrf


def test_cinq_echecs_bloquent_le_compte_quinze_minutes_meme_avec_le_bon_mot_de_passe(uow, horloge):
    for _ in range(4):
        assert se_connecter(uow, horloge, "mauvais-mot-de-passe").refus == "identifiants"
        horloge.avancer(minutes=1)
    cinquieme = se_connecter(uow, horloge, "mauvais-mot-de-passe")
    assert (cinquieme.refus, cinquieme.reessayer_a) == ("bloque", horloge.instant + timedelta(minutes=15))
    assert se_connecter(uow, horloge).refus == "bloque"
    assert uow.publie["audit"]["evenements"][-1].genre == "connexion_bloquee"
    horloge.avancer(minutes=15)
    assert se_connecter(uow, horloge).refus is None


def test_une_adresse_inconnue_est_bloquee_comme_un_compte(uow, horloge):
    for _ in range(5):
        resultat = se_connecter(uow, horloge, email="personne@exemple.fr")
    assert resultat.refus == "bloque"


def test_une_connexion_reussie_remet_le_compteur_du_compte_a_zero(uow, horloge):
    for _ in range(4):
        se_connecter(uow, horloge, "mauvais-mot-de-passe")
    assert se_connecter(uow, horloge).refus is None
    assert se_connecter(uow, horloge, "mauvais-mot-de-passe").refus == "identifiants"


def test_vingt_echecs_depuis_une_adresse_la_bloquent_pour_tous_les_comptes(uow, horloge):
    for i in range(20):
        se_connecter(uow, horloge, email=f"inconnu{i}@exemple.fr", adresse="198.51.100.1")
    assert se_connecter(uow, horloge, adresse="198.51.100.1").refus == "bloque"
    assert se_connecter(uow, horloge, adresse="198.51.100.2").refus is None


def test_un_compte_non_confirme_ne_se_connecte_pas_mais_l_apprend(uow, horloge):
    services.inscrire(uow, "paul@exemple.fr", MDP, MDP, hacheur=HACHEUR)
    assert se_connecter(uow, horloge, email="paul@exemple.fr").refus == "non_confirme"
    assert se_connecter(uow, horloge, "mauvais-mot-de-passe", email="paul@exemple.fr").refus == "identifiants"


def test_un_compte_desactive_ne_se_connecte_plus_et_perd_ses_sessions(uow, horloge):
    secret = se_connecter(uow, horloge).secret
    with uow:
        uow.comptes.enregistrer(uow.comptes.obtenir("claire@exemple.fr").avec(actif=False))
        uow.valider()
    assert connexion.session_courante(uow, secret, horloge) is None
    assert se_connecter(uow, horloge).refus == "identifiants"


def test_une_session_expire_apres_deux_heures_d_inactivite_ou_douze_heures_en_tout(uow, horloge):
    secret = se_connecter(uow, horloge).secret
    horloge.avancer(hours=1, minutes=59)
    assert connexion.session_courante(uow, secret, horloge) is not None  # and "last seen" moves on
    for _ in range(5):  # 11 h 09 in all
        horloge.avancer(hours=1, minutes=50)
        assert connexion.session_courante(uow, secret, horloge) is not None
    horloge.avancer(hours=1)
    assert connexion.session_courante(uow, secret, horloge) is None  # 12 h after signing in
    secret = se_connecter(uow, horloge).secret
    horloge.avancer(hours=2)
    assert connexion.session_courante(uow, secret, horloge) is None


def test_la_deconnexion_efface_la_session_et_le_journal_le_dit(uow, horloge):
    secret = se_connecter(uow, horloge).secret
    connexion.deconnecter(uow, secret, "203.0.113.7", horloge)
    assert connexion.session_courante(uow, secret, horloge) is None
    assert uow.publie["audit"]["evenements"][-1].genre == "deconnexion"
    connexion.deconnecter(uow, secret, horloge=horloge)  # twice: nothing to do, no error


def test_un_empreinte_ancienne_est_refaite_a_la_connexion(uow, horloge):
    ancien = Hacheur.rapide()
    with uow:
        compte = uow.comptes.obtenir("claire@exemple.fr")
        uow.comptes.enregistrer(compte.avec(hash_mot_de_passe=ancien.hacher(MDP)))
        uow.valider()
    assert connexion.connecter(uow, "claire@exemple.fr", MDP, horloge=horloge, hacheur=Hacheur()).refus is None
    assert "m=65536" in uow.publie["comptes"]["claire@exemple.fr"].hash_mot_de_passe


def test_un_jeton_est_montre_une_fois_et_garde_en_empreinte(uow, horloge):
    erreurs, jeton, secret = services_jetons.creer_jeton(uow, ADMIN, "instructeur", "Tableau de bord",
                                                         horloge=horloge)
    assert erreurs == [] and secret.startswith(f"gch_{jeton.prefixe}_") and len(secret) > 40
    assert uow.publie["jetons"][jeton.prefixe].empreinte == jetons.empreinte(secret)
    assert secret not in repr(uow.publie)
    agent = services_jetons.agent_du_jeton(uow, secret, horloge)
    assert agent == Agent(f"jeton:{jeton.prefixe}", "instructeur", nom="Tableau de bord")
    assert uow.publie["jetons"][jeton.prefixe].utilise_le == T0
    assert services_jetons.agent_du_jeton(uow, secret[:-1] + "x", horloge) is None
    assert services_jetons.agent_du_jeton(uow, "Bearer n'importe quoi", horloge) is None


def test_un_jeton_revoque_ne_sert_plus(uow, horloge):
    _, jeton, secret = services_jetons.creer_jeton(uow, ADMIN, "admin", horloge=horloge)
    assert services_jetons.revoquer_jeton(uow, ADMIN, jeton.affiche, horloge=horloge).revoque_le == T0
    assert services_jetons.agent_du_jeton(uow, secret, horloge) is None
    with pytest.raises(JetonDejaRevoque):
        services_jetons.revoquer_jeton(uow, ADMIN, jeton.prefixe)
    with pytest.raises(JetonIntrouvable):
        services_jetons.revoquer_jeton(uow, ADMIN, "00000000")
    assert [e.genre for e in uow.publie["audit"]["evenements"][-2:]] == ["creation_jeton", "revocation_jeton"]


def test_un_jeton_rattache_a_un_compte_agit_en_son_nom_avec_son_role(uow, horloge):
    erreurs, _, _ = services_jetons.creer_jeton(uow, ADMIN, "admin", compte="claire@exemple.fr")
    assert [e.champ for e in erreurs] == ["role"]
    erreurs, _, _ = services_jetons.creer_jeton(uow, ADMIN, "porteur", compte="personne@exemple.fr")
    assert [e.champ for e in erreurs] == ["compte"]
    _, jeton, secret = services_jetons.creer_jeton(uow, ADMIN, "instructeur", compte="Claire@exemple.fr")
    assert jeton.compte == "claire@exemple.fr"
    assert services_jetons.agent_du_jeton(uow, secret, horloge).id == "claire@exemple.fr"
    with uow:
        uow.comptes.enregistrer(uow.comptes.obtenir("claire@exemple.fr").avec(actif=False))
        uow.valider()
    assert services_jetons.agent_du_jeton(uow, secret, horloge) is None


def test_seul_un_administrateur_cree_revoque_et_liste_les_jetons(uow):
    instructrice = Agent("claire@exemple.fr", "instructeur")
    with pytest.raises(Interdit):
        services_jetons.creer_jeton(uow, instructrice, "instructeur")
    with pytest.raises(Interdit):
        services_jetons.revoquer_jeton(uow, instructrice, "00000000")
    with pytest.raises(Interdit):
        services_jetons.lister_jetons(uow, instructrice)
