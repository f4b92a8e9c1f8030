/* role.h — the four JWT roles as bits, so a route can allow a set of them. */
#ifndef ORIENTIR_ROLE_H
#define ORIENTIR_ROLE_H

enum role {
	ROLE_NONE = 0,
	ROLE_COMMITTEE = 1 << 0,
	ROLE_LOIRO = 1 << 1,
	ROLE_MUNICIPALITY = 1 << 2,
	ROLE_SCHOOL = 1 << 3,
};

#define ROLES_ALL (ROLE_COMMITTEE | ROLE_LOIRO | ROLE_MUNICIPALITY | ROLE_SCHOOL)

/* "committee" … "school" for one role bit; NULL for anything else. */
const char *role_name(enum role r);
/* The role named s (exact, lower case), or ROLE_NONE. NULL is ROLE_NONE. */
enum role role_parse(const char *s);
/* The PostgreSQL role the request switches into: "orientir_committee" …; NULL for ROLE_NONE. */
const char *role_db_name(enum role r);

#endif
