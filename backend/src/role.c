/* role.c — names of the four roles in the JWT, the API and PostgreSQL. */
#include "role.h"

#include <string.h>

static const struct {
	enum role role;
	const char *name;
	const char *db_name;
} roles[] = {
	{ ROLE_COMMITTEE, "committee", "orientir_committee" },
	{ ROLE_LOIRO, "loiro", "orientir_loiro" },
	{ ROLE_MUNICIPALITY, "municipality", "orientir_municipality" },
	{ ROLE_SCHOOL, "school", "orientir_school" },
};

const char *role_name(enum role r)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == r)
			return roles[i].name;
	return NULL;
}

const char *role_db_name(enum role r)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == r)
			return roles[i].db_name;
	return NULL;
}

enum role role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, s) == 0)
			return roles[i].role;
	return ROLE_NONE;
}
