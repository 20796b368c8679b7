"""Les modèles de vue des documents : l'avis technique (`avis`) et le rapport du comité (`rapport`).
Ils choisissent quoi montrer ; la mise en page est dans `templates/documents/` et `api/rendu/`."""
