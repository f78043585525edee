/* Non-variadic wrappers around libedit's histedit API.
 *
 * el_set(), el_get() and history() are C-variadic, which Swift cannot call; each wrapper below fixes one
 * operation's argument list. The wrappers are stateless `static inline` functions (a `static` variable here would
 * exist once per importing module). el_init is wrapped so Swift never names the C globals stdin/stdout/stderr,
 * which Swift 6 rejects as shared mutable state.
 */
#ifndef SWAPLAB_CEDITLINE_SHIM_H
#define SWAPLAB_CEDITLINE_SHIM_H

#include <stdio.h>
#include <histedit.h>

/* The signature of a libedit editor function added with EL_ADDFN: returns one of CC_*. */
typedef unsigned char (*swl_el_function)(EditLine *, int);
/* The signature of a prompt function (EL_PROMPT_ESC). */
typedef char *(*swl_el_prompt_function)(EditLine *);

/* el_init on the process's standard streams. */
static inline EditLine *swl_el_init(const char *program) { return el_init(program, stdin, stdout, stderr); }

/* EL_PROMPT_ESC: the prompt function, with `escape` marking the start and end of invisible sequences. */
static inline int swl_el_set_prompt_esc(EditLine *el, swl_el_prompt_function prompt, char escape) {
    return el_set(el, EL_PROMPT_ESC, prompt, escape);
}

/* EL_EDITOR: "emacs" or "vi". */
static inline int swl_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }

/* EL_SIGNAL: when non-zero, libedit restores the terminal around signals received while it reads. */
static inline int swl_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }

/* EL_HIST: attach a history for the up/down keys. */
static inline int swl_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

/* EL_ADDFN: make `function` callable under `name` by key bindings. */
static inline int swl_el_add_function(EditLine *el, const char *name, const char *help, swl_el_function function) {
    return el_set(el, EL_ADDFN, name, help, function);
}

/* EL_BIND: bind `key` (e.g. "^I") to the editor function `name`. */
static inline int swl_el_bind(EditLine *el, const char *key, const char *name) {
    return el_set(el, EL_BIND, key, name, (const char *)NULL);
}

/* EL_CLIENTDATA: an opaque pointer that callbacks get back with swl_el_get_client_data. */
static inline int swl_el_set_client_data(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

/* el_get(EL_CLIENTDATA). */
static inline void *swl_el_get_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

/* history(H_SETSIZE): keep at most `size` entries. */
static inline int swl_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

/* history(H_SETUNIQUE): when non-zero, an entry equal to the previous one is not added. */
static inline int swl_history_set_unique(History *h, int on) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, on);
}

/* history(H_ENTER): add a line. */
static inline int swl_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

/* history(H_LOAD): read a history file; returns the number of entries, or -1. */
static inline int swl_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

/* history(H_SAVE): write the history file; returns the number of entries, or -1. */
static inline int swl_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

#endif
