"""Les comptes du guichet : qui se connecte, avec quel rôle, et ce qui en reste au journal.

- `compte` : le compte (adresse électronique, rôle, nom affiché, empreinte du mot de passe, comités) ;
- `mots_de_passe` : la politique (12 caractères au moins) et le hachage argon2id ;
- `limitation` : le freinage des tentatives de connexion, en pure logique (les compteurs sont en base) ;
- `jetons` : les jetons d'API (secret montré une fois, gardé en empreinte sha256) ;
- `sessions` : les sessions du site (un secret dans le cookie, son empreinte en base) ;
- `audit` : les événements du journal (qui, quand, d'où) ;
- `services`, `connexion`, `services_jetons` : les cas d'usage, pour un `Agent` et par la politique d'accès.

Rien ici ne connaît le web ni la base : les entrées passent les unités de travail (`instruction.ports`).
"""
