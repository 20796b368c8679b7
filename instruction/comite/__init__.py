"""Le comité technique : la réunion et son ordre du jour (`reunion`), les contrôles croisés entre
dossiers (`controles`), les cas d'usage sur les ports (`services`)."""
