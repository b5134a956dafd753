/*
 * identity.h -- who is running ae, and people and clients named the way
 * people name them.
 *
 * Who am I: the current staff member is settled by one rule, the first
 * that gives an answer (docs/ae.1.md, IDENTITY):
 *
 *   0. --as STAFF, for the commands that take it
 *   1. $AE_STAFF
 *   2. git config ae.staff (the repository's, else the user's own)
 *   3. git config user.email equal, ignoring case, to a staff member's
 *      email in ae.ini
 *   4. git config user.name equal to a staff member's name or ID
 *
 * 0 to 2 are explicit settings: their value names a staff member as any
 * option does (below), and one that names nobody is an error, never a
 * silent fall to the next rule.  3 and 4 only match or not.
 *
 * Naming people: an ID (li.ming), a name (李明), a part of an ID between
 * dots (li, ming), "me", or a unique prefix of an ID or a name, ASCII
 * case ignored.  An unknown name gets "did you mean" over the IDs and the
 * names, counted in characters so that Chinese names are near when one
 * character differs.  Clients are named by find_record() (editing.h);
 * its "did you mean" comes from record_suggest() here.
 */
#ifndef AE_IDENTITY_H
#define AE_IDENTITY_H

#include "book.h"
#include "config.h"
#include "util.h"

enum id_rule { ID_NONE, ID_AS, ID_ENV, ID_GIT_STAFF, ID_EMAIL, ID_NAME };

struct identity {
	const struct staff *staff;	/* NULL when no rule matched */
	enum id_rule rule;		/* the rule that gave staff */
	char *git_name, *git_email;	/* git's user.name, user.email (owned, or NULL) */
	char *git_staff;		/* git config ae.staff (owned, or NULL) */
	const char *env_staff;		/* $AE_STAFF, or NULL */
};

/*
 * Settle who is running ae for the book at root (NULL: outside a book);
 * as is --as, or NULL.  Returns 0 whether or not anyone matched
 * (id->staff NULL: no one), -1 when an explicit setting names no staff
 * member (reported, saying which setting).  Release with
 * identity_release() either way.
 */
int identity_find(struct identity *id, const struct config *cfg, const char *root,
		  const char *as);
void identity_release(struct identity *id);

/* The rule that matched, as the docs name it ("git config user.email"). */
const char *identity_rule_name(enum id_rule rule);

/*
 * Why no rule matched, as an error()'s text with its hint: what git's
 * settings are and how to name oneself.  Owned.
 */
char *identity_unknown_text(const struct identity *id);

/*
 * The staff member `name` names (see above); me resolves "me" (NULL when
 * who is running ae is unknown).  what says where the name was given
 * ("--who", "'ae' in ae set") for the error; an unknown, ambiguous or
 * empty name is reported and gives NULL.
 */
const struct staff *staff_named(const struct config *cfg, const char *name,
				const struct staff *me, const char *what);

/*
 * staff_named() for an option of a command on book b: "me" is settled by
 * identity_find() only when it is given.
 */
const struct staff *staff_option(const struct book *b, const char *name, const char *what);

/*
 * "; did you mean 'SH-202603-COKE-007' (上海可口可乐饮料有限公司)?" for a
 * record name of kind (-1: any) that names none: the nearest identifier,
 * client code name part (COKE, 绿城) or client name, or a client name
 * that a few edits make hold it ("可口乐").  Owned; "" when nothing is near.
 */
char *record_suggest(const struct book *b, const char *name, int kind);

/*
 * A value given on the command line (ae set, ae new) for field fd: staff
 * named as people name them become their IDs (a staff field, each item
 * of a staff-list, the @owner of each action item), a record named by a
 * unique part of its identifier or name becomes its identifier (a client,
 * job ... field).  Anything else is returned as it is: an enumerated
 * value keeps the label the user typed.  Owned; NULL when a name names
 * no one (reported).
 */
char *field_value_named(const struct book *b, const struct fieldspec *fd, const char *value);

/*
 * The name part of a client code by the [numbering] client pattern
 * ("COKE" of SH-202603-COKE-007, "绿城" of 杭州-202511-绿城-002), copied
 * into buf; the whole ID when the pattern has no name group.
 */
const char *client_code_name(const struct book *b, const char *id, char *buf, size_t size);

#endif
