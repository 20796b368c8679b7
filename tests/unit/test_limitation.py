"""Le freinage des tentatives de connexion, en pure logique : 5 échecs en 15 minutes bloquent 15 minutes."""
from datetime import datetime, timedelta, timezone

from instruction.comptes.limitation import Limite, Limites, bloque_jusqu_a, cle_adresse, cle_compte, fin_du_blocage

T0 = datetime(2025, 6, 1, 10, tzinfo=timezone.utc)
LIMITE = Limite()


def minutes(*valeurs):
    return [T0 + timedelta(minutes=m) for m in valeurs]


def test_quatre_echecs_ne_bloquent_pas():
    assert bloque_jusqu_a(minutes(0, 1, 2, 3), T0 + timedelta(minutes=4), LIMITE) is None


def test_cinq_echecs_en_quinze_minutes_bloquent_quinze_minutes_apres_le_cinquieme():
    echecs = minutes(0, 1, 2, 3, 4)
    fin = T0 + timedelta(minutes=19)
    assert bloque_jusqu_a(echecs, T0 + timedelta(minutes=4), LIMITE) == fin
    assert bloque_jusqu_a(echecs, fin - timedelta(seconds=1), LIMITE) == fin
    assert bloque_jusqu_a(echecs, fin, LIMITE) is None  # the block ends at the announced time


def test_cinq_echecs_etales_sur_plus_de_quinze_minutes_ne_bloquent_pas():
    assert bloque_jusqu_a(minutes(0, 4, 8, 12, 16), T0 + timedelta(minutes=16), LIMITE) is None


def test_exactement_quinze_minutes_entre_le_premier_et_le_cinquieme_bloque():
    assert bloque_jusqu_a(minutes(0, 5, 10, 14, 15), T0 + timedelta(minutes=15), LIMITE) is not None


def test_l_ordre_des_echecs_ne_compte_pas():
    assert bloque_jusqu_a(minutes(4, 0, 3, 1, 2), T0 + timedelta(minutes=5), LIMITE) == T0 + timedelta(minutes=19)


def test_la_plus_recente_serie_decide_de_la_fin():
    echecs = minutes(0, 1, 2, 3, 4) + minutes(30, 31, 32, 33, 34)
    assert bloque_jusqu_a(echecs, T0 + timedelta(minutes=35), LIMITE) == T0 + timedelta(minutes=49)


def test_le_compte_et_l_adresse_ont_chacun_leur_seuil():
    limites = Limites()
    assert limites.compte.echecs == 5 and limites.adresse.echecs == 20
    vingt = [T0 + timedelta(seconds=10 * i) for i in range(20)]
    maintenant = T0 + timedelta(minutes=4)
    assert fin_du_blocage(vingt[:4], vingt[:19], maintenant, limites) is None
    assert fin_du_blocage([], vingt, maintenant, limites) == vingt[-1] + timedelta(minutes=15)
    assert fin_du_blocage(vingt[:5], vingt, maintenant, limites) == vingt[-1] + timedelta(minutes=15)


def test_les_cles_distinguent_compte_et_adresse():
    assert cle_compte("a@b.fr") == "compte:a@b.fr"
    assert cle_adresse("203.0.113.7") == "adresse:203.0.113.7" and cle_adresse(None) == "adresse:inconnue"
