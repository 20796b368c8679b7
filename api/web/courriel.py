"""Le courriel de confirmation d'une inscription : envoyé par le serveur SMTP de `GUICHET_SMTP_URL`
(`smtp://hote:port`, ou `smtps://utilisateur:motdepasse@hote:465`), sinon écrit dans le journal du serveur,
d'où l'administrateur peut le transmettre.

Le lien est construit sur `GUICHET_URL` (l'adresse publique du service, par exemple https://guichet.region.fr)
si elle est donnée, sinon sur l'adresse de la demande.
"""
import logging
import os
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

journal = logging.getLogger("guichet.web")
EXPEDITEUR = "guichet@hautsdefrance.fr"


def lien_de_confirmation(base_de_la_demande: str, secret: str) -> str:
    base = (os.environ.get("GUICHET_URL") or base_de_la_demande).rstrip("/")
    return f"{base}/inscription/confirmer?jeton={secret}"


def envoyer_confirmation(destinataire: str, lien: str) -> None:
    url = os.environ.get("GUICHET_SMTP_URL", "").strip()
    if not url:
        journal.warning("inscription de %s : lien de confirmation (GUICHET_SMTP_URL non défini, aucun courriel "
                        "envoyé) : %s", destinataire, lien)
        return
    message = EmailMessage()
    message["From"], message["To"] = os.environ.get("GUICHET_EXPEDITEUR", EXPEDITEUR), destinataire
    message["Subject"] = "Guichet : confirmez votre adresse"
    message.set_content("Bonjour,\n\nPour activer votre compte sur le guichet des financements du tourisme, "
                        f"suivez ce lien :\n\n{lien}\n\nSi vous n’avez pas demandé de compte, ignorez ce message.\n")
    adresse = urlsplit(url)
    classe = smtplib.SMTP_SSL if adresse.scheme == "smtps" else smtplib.SMTP
    try:
        with classe(adresse.hostname or "localhost", adresse.port or (465 if adresse.scheme == "smtps" else 25),
                    timeout=10) as serveur:
            if adresse.username:
                serveur.login(unquote(adresse.username), unquote(adresse.password or ""))
            serveur.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # The account exists; the link is not lost: it is in the log for the administrator to pass on.
        journal.error("courriel de confirmation non envoyé à %s (%s) : lien %s", destinataire, exc, lien)
