"""Le jour d'un instant, à l'heure française : un dossier déposé le 1er janvier à 0 h 30 à Béthune est
déposé en janvier, même si l'horloge du serveur (UTC) dit encore le 31 décembre."""
from datetime import date, datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

FUSEAU = ZoneInfo("Europe/Paris")

Horloge = Callable[[], datetime]


def maintenant() -> datetime:
    """L'horloge par défaut, en UTC ; les cas d'usage et les entrepôts reçoivent celle de l'application."""
    return datetime.now(timezone.utc)


def jour_de(quand: datetime) -> date:
    return quand.astimezone(FUSEAU).date() if quand.tzinfo else quand.date()


def heure_locale(quand: datetime) -> datetime:
    return quand.astimezone(FUSEAU) if quand.tzinfo else quand
