/* config_staff.c -- the staff of ae.ini looked up: by ID (the address
 * of the config's own ID string first, then the name), the reporting
 * line, the hourly rate; see config.h */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t id_slot(const char *id, size_t mask)
{
	return (size_t)(((uint64_t)(uintptr_t)id >> 3) * 0x9E3779B97F4A7C15ull >> 40) & mask;
}

/*
 * The staff found by the address of their ID: the journal's entries and
 * the due items hold the config's own string, so a million lookups need
 * not hash a name each.  Each slot holds the staff member that the ID's
 * name finds (the first of a duplicate, as staff_by_id has it).
 */
void config_index_staff(struct config *c)
{
	size_t size = 16;

	while (size < c->nstaff * 2)
		size *= 2;
	c->staff_ids = xcalloc(size, sizeof(*c->staff_ids));
	c->staff_ids_mask = size - 1;
	for (size_t i = 0; i < c->nstaff; i++) {
		const char *id = c->staff[i].id;
		const struct staff *st = strmap_get(&c->staff_by_id, id);
		size_t k = id_slot(id, c->staff_ids_mask);

		if (!st)
			continue;
		while (c->staff_ids[k].id && c->staff_ids[k].id != id)
			k = (k + 1) & c->staff_ids_mask;
		c->staff_ids[k].id = id;
		c->staff_ids[k].index = (size_t)(st - c->staff);
	}
}

const struct staff *config_staff(const struct config *c, const char *id)
{
	if (c->staff_ids)
		for (size_t k = id_slot(id, c->staff_ids_mask); c->staff_ids[k].id;
		     k = (k + 1) & c->staff_ids_mask)
			if (c->staff_ids[k].id == id)
				return &c->staff[c->staff_ids[k].index];
	return strmap_get(&c->staff_by_id, id);
}

int config_reports_to(const struct config *c, const char *who, const char *boss)
{
	size_t steps = 0;

	while (who && steps++ <= c->nstaff) {
		const struct staff *s;
		if (!strcmp(who, boss))
			return 1;
		s = config_staff(c, who);
		who = s ? s->reports_to : NULL;
	}
	return 0;
}

long config_rate(const struct config *c, const struct staff *st)
{
	long by_rank = -1;

	for (size_t i = 0; st && i < c->nrates; i++) {
		if (!strcmp(c->rates[i].key, st->id))
			return c->rates[i].cents;
		if (!strcmp(c->rates[i].key, rank_names[st->rank]))
			by_rank = c->rates[i].cents;
	}
	return by_rank;
}
