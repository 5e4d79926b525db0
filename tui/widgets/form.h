/*
 * form.h - a form of typed fields (DESIGN.md §4): text fields (a UTF-8 line editor each),
 * dates typed dd/mm/yyyy, choices picked from a list, buttons and lines of text; the
 * problems validation found, each shown under the field it concerns; focus, Tab order and
 * scrolling when the form is taller than the room it is given.
 *
 * Like a screen, form_key() returns flags and never draws; form_draw() lays the form out
 * from scratch into whatever rectangle it is given, so a resize needs nothing but the next
 * draw.  The form knows nothing of subscribers or the store: the screen that owns it reads
 * the fields, calls core/ and hands the problems back with form_add_problem().
 */
#ifndef KYSO_TUI_FORM_H
#define KYSO_TUI_FORM_H

#include "widgets/ui.h"

enum form_type {
	FORM_TEXT,   /* one line of text */
	FORM_DATE,   /* a date typed dd/mm/yyyy (a short text field with a hint); it takes
		      * digits and the separators / - . and refuses other keys aloud */
	FORM_CHOICE, /* one of a list; Enter, Space or a click opens the list */
	FORM_BUTTON, /* Enter, Space or a click presses it; buttons in a row share a line */
	FORM_NOTE    /* text that takes no keys (an introduction, a list) */
};

/* Flags form_key() returns. */
enum {
	FORM_IGNORED = 0,
	FORM_HANDLED = 1 << 0, /* the key was the form's: repaint */
	FORM_CHANGED = 1 << 1, /* a field's text or choice changed */
	FORM_PRESSED = 1 << 2  /* a button was pressed: form_pressed() says which */
};

struct line_editor;

struct form_field {
	enum form_type type;
	int id;		     /* the owner's name for it (enum subscriber_field, ...); -1: none */
	const char *label;   /* a msgid, translated when drawn */
	int is_required;     /* the label is marked '*' */
	int is_hidden;	     /* neither drawn nor in the Tab order; its text is kept */
	struct line_editor *ed; /* FORM_TEXT, FORM_DATE */
	char *initial;	     /* the text it was given, to tell whether it changed */
	char **items;	     /* FORM_CHOICE: the list (copies) */
	int nitems;
	int items_are_msgids; /* translate the items when shown */
	int choice, initial_choice;
	char *text;	     /* FORM_NOTE: the line(s); is_msgid: translate when shown */
	int is_msgid;
	int indent;	     /* FORM_NOTE: columns before the text */
	char *problem;	     /* what validation said, lines joined by '\n'; NULL: none */
	int is_refusing;     /* it refused the last key: drawn flashing until the next */
	/* as last laid out: first row and rows taken (with its problems); where it was
	 * drawn on the screen (drawn_y -1 when not in view), for the mouse */
	int row, span;
	int drawn_y, drawn_x, drawn_w;
};

struct form {
	struct form_field *fields;
	int n, cap;
	int focus;	   /* index of the field with the keys */
	int top;	   /* first row shown, when the form is taller than its room */
	int pressed;	   /* id of the button pressed last */
	int is_forced_changed; /* restored from a draft: counts as changed */
	char *problem;	   /* problems that belong to no field, shown on top */
	int is_free_scroll; /* the wheel moved the view: do not pull it back to the focus */
	/* Labels of the fields added with label NULL, asked for at each draw (core's
	 * labels, already in the interface language); NULL: none. */
	const char *(*label_fn)(int id);
	int w;		   /* the width of the last draw (0 before it) */
};

struct form *form_new(void);
void form_free(struct form *f);

/* Adding fields, in the order they are shown.  Each returns the field's index, or -1
 * when out of memory.  label is a msgid (N_("Full name")); initial may be NULL. */
int form_add_text(struct form *f, int id, const char *label, const char *initial,
		  int max_chars, int is_required);
int form_add_date(struct form *f, int id, const char *label, const char *initial,
		  int is_required);
int form_add_choice(struct form *f, int id, const char *label, const char *const *items,
		    int n, int current, int items_are_msgids);
int form_add_button(struct form *f, int id, const char *label);
int form_add_note(struct form *f, const char *text, int is_msgid, int indent);

/* The field with id, or NULL. */
struct form_field *form_field(struct form *f, int id);
/* The text of field id as typed (not normalised), "" when it has none.  Owned by the
 * form, valid until the field changes. */
const char *form_text(struct form *f, int id);
/* A new NFC copy of the text of field id; NULL when it holds nothing but spaces, or out
 * of memory. */
char *form_take_nfc(struct form *f, int id);
/* Replaces the text of field id; mark_changed 0 makes it the text the field started with. */
void form_set_text(struct form *f, int id, const char *text, int mark_changed);
int form_choice(struct form *f, int id);
void form_set_choice(struct form *f, int id, int choice, int mark_changed);
void form_set_hidden(struct form *f, int id, int is_hidden);

/* 1 when a field's text or choice differs from what it started with. */
int form_is_changed(const struct form *f);
/* Makes what the fields hold now their starting point (after a save). */
void form_set_unchanged(struct form *f);
/* 1 when the field with the keys is a text field: q and j/k are text then. */
int form_is_typing(const struct form *f);

/* Focus: on field id (shown and able to take keys), and the id of the one that has it.
 * A text field that gets the keys from the keyboard or from its owner (Tab, arrows,
 * Enter, form_focus, the first bad field) has its text selected, as on a desktop: what
 * is typed first replaces it.  A click puts the cursor where it fell instead. */
void form_focus(struct form *f, int id);
int form_focused(const struct form *f);
/* The id of the button pressed last (after FORM_PRESSED). */
int form_pressed(const struct form *f);

/* Problems: id -1 for one that belongs to no field.  form_focus_problem puts the keys on
 * the first field (in form order) that has one; 0 when none has. */
void form_clear_problems(struct form *f);
void form_add_problem(struct form *f, int id, const char *message);
int form_focus_problem(struct form *f);
/* Shows the problems core found (every one at once): each under the field field_of names
 * for its column (-1: none), the others on top as "column: message", and the keys on the
 * first bad field.  field_of NULL: the field whose label (translated) is the column. */
void form_show_problems(struct form *f, const struct kyso_problems *problems,
			int (*field_of)(const char *column, void *ctx), void *ctx);
/* The id of the field shown with this label (translated, or core's label); -1: none. */
int form_field_by_label(struct form *f, const char *label);

/* The rows the form takes when laid out w columns wide (to size a dialog around it). */
int form_height(struct form *f, int w);
/* Draws the form into rows y .. y+h-1, columns x .. x+w-1 (attr: the background). */
void form_draw(struct form *f, int y, int x, int h, int w, attr_t attr);
int form_key(struct form *f, const struct ui_key *k);

/* Splits text into lines of at most width columns, at spaces and at '\n'.  Returns the
 * number of lines (at least 1) with the lines in *lines; free them with form_wrap_free. */
int form_wrap(const char *text, int width, char ***lines);
void form_wrap_free(char **lines, int n);

#endif
