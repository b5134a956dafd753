/*
 * store_lib.h -- libgit2 opened the first time ae calls it, not at start.
 *
 * A warm ae due, ae report or ae check calls no libgit2 function (the
 * book comes from its files and the parse cache, who runs ae from git's
 * configuration files: gitconfig.c), yet a program linked with libgit2
 * loads it and the nineteen libraries it needs at every start: 2.2 ms of
 * the 3.4 ms of ae --version on the machine of docs/PERFORMANCE.md, 2% of
 * a warm ae due on the 100k book.  So ae is not linked with libgit2: the
 * store_*.c files, the only ones that include <git2.h> (through
 * store_int.h, which includes this file after it), call its functions
 * through a table that store_lib.c fills by dlopen() of the library the
 * build was made against (its SONAME, AE_LIBGIT2_SONAME, from the
 * Makefile) the first time any of them is called, on whichever thread
 * (pthread_once).  Each function's name is defined below as its entry, so
 * the code reads as plain libgit2 calls, each checked against <git2.h>'s
 * prototype (an entry's type is __typeof__ the function it stands for).
 *
 * A libgit2 function the store calls that is not listed in AE_GIT_FUNCS
 * is an undefined reference when ae is linked: add it here, in order.
 * The library missing, or one of these missing from it, is said once,
 * with what to install, and ends the run with EXIT_SYSTEM before any
 * libgit2 call (so before any write a command makes through git).
 */
#ifndef AE_STORE_LIB_H
#define AE_STORE_LIB_H

#include <git2.h>
/* what the store's backends, driver and repositories in memory use: here,
 * declared before their names are defined below as the table's */
#include <git2/sys/merge.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#define AE_GIT_FUNCS(X) \
	X(git_blob_create_from_buffer) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_branch_upstream_merge) \
	X(git_branch_upstream_name) \
	X(git_branch_upstream_remote) \
	X(git_buf_dispose) \
	X(git_buf_set) \
	X(git_commit_author) \
	X(git_commit_create) \
	X(git_commit_free) \
	X(git_commit_id) \
	X(git_commit_lookup) \
	X(git_commit_message) \
	X(git_commit_parent) \
	X(git_commit_parent_id) \
	X(git_commit_parentcount) \
	X(git_commit_tree) \
	X(git_commit_tree_id) \
	X(git_config_free) \
	X(git_config_get_bool) \
	X(git_config_get_string_buf) \
	X(git_config_open_default) \
	X(git_config_open_level) \
	X(git_config_set_string) \
	X(git_config_snapshot) \
	X(git_diff_find_options_init) \
	X(git_diff_free) \
	X(git_diff_get_delta) \
	X(git_diff_num_deltas) \
	X(git_diff_options_init) \
	X(git_diff_tree_to_index) \
	X(git_diff_tree_to_tree) \
	X(git_error_last) \
	X(git_error_set_str) \
	X(git_graph_ahead_behind) \
	X(git_graph_descendant_of) \
	X(git_index_add_bypath) \
	X(git_index_conflict_add) \
	X(git_index_conflict_iterator_free) \
	X(git_index_conflict_iterator_new) \
	X(git_index_conflict_next) \
	X(git_index_entry_stage) \
	X(git_index_entrycount) \
	X(git_index_free) \
	X(git_index_get_byindex) \
	X(git_index_get_bypath) \
	X(git_index_has_conflicts) \
	X(git_index_open) \
	X(git_index_path) \
	X(git_index_read) \
	X(git_index_remove_bypath) \
	X(git_index_write) \
	X(git_index_write_tree) \
	X(git_libgit2_init) \
	X(git_libgit2_opts) \
	X(git_merge_base) \
	X(git_merge_commits) \
	X(git_merge_driver_register) \
	X(git_merge_driver_source_ancestor) \
	X(git_merge_driver_source_ours) \
	X(git_merge_driver_source_repo) \
	X(git_merge_driver_source_theirs) \
	X(git_merge_file_from_index) \
	X(git_merge_file_result_free) \
	X(git_merge_options_init) \
	X(git_object_free) \
	X(git_object_id) \
	X(git_object_lookup) \
	X(git_object_peel) \
	X(git_odb_add_backend) \
	X(git_odb_add_disk_alternate) \
	X(git_odb_backend_data_alloc) \
	X(git_odb_backend_data_free) \
	X(git_odb_free) \
	X(git_odb_hash) \
	X(git_odb_open) \
	X(git_odb_refresh) \
	X(git_oid_cmp) \
	X(git_oid_cpy) \
	X(git_oid_equal) \
	X(git_oid_fromraw) \
	X(git_oid_fromstr) \
	X(git_oid_tostr) \
	X(git_oid_tostr_s) \
	X(git_reference_create) \
	X(git_reference_create_matching) \
	X(git_reference_delete) \
	X(git_reference_free) \
	X(git_reference_iterator_free) \
	X(git_reference_iterator_glob_new) \
	X(git_reference_lookup) \
	X(git_reference_name) \
	X(git_reference_name_to_id) \
	X(git_reference_next_name) \
	X(git_reference_symbolic_target) \
	X(git_reference_target) \
	X(git_reference_type) \
	X(git_remote_list) \
	X(git_repository_commondir) \
	X(git_repository_config) \
	X(git_repository_config_snapshot) \
	X(git_repository_free) \
	X(git_repository_head) \
	X(git_repository_head_detached) \
	X(git_repository_head_unborn) \
	X(git_repository_index) \
	X(git_repository_init) \
	X(git_repository_is_bare) \
	X(git_repository_item_path) \
	X(git_repository_mergehead_foreach) \
	X(git_repository_odb) \
	X(git_repository_open_ext) \
	X(git_repository_path) \
	X(git_repository_set_index) \
	X(git_repository_set_odb) \
	X(git_repository_state_cleanup) \
	X(git_repository_workdir) \
	X(git_revparse_single) \
	X(git_revwalk_free) \
	X(git_revwalk_hide) \
	X(git_revwalk_new) \
	X(git_revwalk_next) \
	X(git_revwalk_push) \
	X(git_revwalk_push_glob) \
	X(git_revwalk_push_head) \
	X(git_revwalk_sorting) \
	X(git_signature_free) \
	X(git_signature_new) \
	X(git_status_byindex) \
	X(git_status_list_entrycount) \
	X(git_status_list_free) \
	X(git_status_list_new) \
	X(git_status_options_init) \
	X(git_strarray_dispose) \
	X(git_tree_create_updated) \
	X(git_tree_entry_byindex) \
	X(git_tree_entry_byname) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_free) \
	X(git_tree_entry_id) \
	X(git_tree_entry_name) \
	X(git_tree_entry_type) \
	X(git_tree_entrycount) \
	X(git_tree_free) \
	X(git_tree_id) \
	X(git_tree_lookup) \
	X(git_tree_walk)

struct ae_git {
#define AE_GIT_ENTRY(f) __typeof__(f) *f;
	AE_GIT_FUNCS(AE_GIT_ENTRY)
#undef AE_GIT_ENTRY
};

/* The table, libgit2 loaded into it first if it is not yet. */
const struct ae_git *ae_git(void);

#ifndef AE_GIT_TABLE_ITSELF
#define git_blob_create_from_buffer (ae_git()->git_blob_create_from_buffer)
#define git_blob_free (ae_git()->git_blob_free)
#define git_blob_lookup (ae_git()->git_blob_lookup)
#define git_blob_rawcontent (ae_git()->git_blob_rawcontent)
#define git_blob_rawsize (ae_git()->git_blob_rawsize)
#define git_branch_upstream_merge (ae_git()->git_branch_upstream_merge)
#define git_branch_upstream_name (ae_git()->git_branch_upstream_name)
#define git_branch_upstream_remote (ae_git()->git_branch_upstream_remote)
#define git_buf_dispose (ae_git()->git_buf_dispose)
#define git_buf_set (ae_git()->git_buf_set)
#define git_commit_author (ae_git()->git_commit_author)
#define git_commit_create (ae_git()->git_commit_create)
#define git_commit_free (ae_git()->git_commit_free)
#define git_commit_id (ae_git()->git_commit_id)
#define git_commit_lookup (ae_git()->git_commit_lookup)
#define git_commit_message (ae_git()->git_commit_message)
#define git_commit_parent (ae_git()->git_commit_parent)
#define git_commit_parent_id (ae_git()->git_commit_parent_id)
#define git_commit_parentcount (ae_git()->git_commit_parentcount)
#define git_commit_tree (ae_git()->git_commit_tree)
#define git_commit_tree_id (ae_git()->git_commit_tree_id)
#define git_config_free (ae_git()->git_config_free)
#define git_config_get_bool (ae_git()->git_config_get_bool)
#define git_config_get_string_buf (ae_git()->git_config_get_string_buf)
#define git_config_open_default (ae_git()->git_config_open_default)
#define git_config_open_level (ae_git()->git_config_open_level)
#define git_config_set_string (ae_git()->git_config_set_string)
#define git_config_snapshot (ae_git()->git_config_snapshot)
#define git_diff_find_options_init (ae_git()->git_diff_find_options_init)
#define git_diff_free (ae_git()->git_diff_free)
#define git_diff_get_delta (ae_git()->git_diff_get_delta)
#define git_diff_num_deltas (ae_git()->git_diff_num_deltas)
#define git_diff_options_init (ae_git()->git_diff_options_init)
#define git_diff_tree_to_index (ae_git()->git_diff_tree_to_index)
#define git_diff_tree_to_tree (ae_git()->git_diff_tree_to_tree)
#define git_error_last (ae_git()->git_error_last)
#define git_error_set_str (ae_git()->git_error_set_str)
#define git_graph_ahead_behind (ae_git()->git_graph_ahead_behind)
#define git_graph_descendant_of (ae_git()->git_graph_descendant_of)
#define git_index_add_bypath (ae_git()->git_index_add_bypath)
#define git_index_conflict_add (ae_git()->git_index_conflict_add)
#define git_index_conflict_iterator_free (ae_git()->git_index_conflict_iterator_free)
#define git_index_conflict_iterator_new (ae_git()->git_index_conflict_iterator_new)
#define git_index_conflict_next (ae_git()->git_index_conflict_next)
#define git_index_entry_stage (ae_git()->git_index_entry_stage)
#define git_index_entrycount (ae_git()->git_index_entrycount)
#define git_index_free (ae_git()->git_index_free)
#define git_index_get_byindex (ae_git()->git_index_get_byindex)
#define git_index_get_bypath (ae_git()->git_index_get_bypath)
#define git_index_has_conflicts (ae_git()->git_index_has_conflicts)
#define git_index_open (ae_git()->git_index_open)
#define git_index_path (ae_git()->git_index_path)
#define git_index_read (ae_git()->git_index_read)
#define git_index_remove_bypath (ae_git()->git_index_remove_bypath)
#define git_index_write (ae_git()->git_index_write)
#define git_index_write_tree (ae_git()->git_index_write_tree)
#define git_libgit2_init (ae_git()->git_libgit2_init)
#define git_libgit2_opts (ae_git()->git_libgit2_opts)
#define git_merge_base (ae_git()->git_merge_base)
#define git_merge_commits (ae_git()->git_merge_commits)
#define git_merge_driver_register (ae_git()->git_merge_driver_register)
#define git_merge_driver_source_ancestor (ae_git()->git_merge_driver_source_ancestor)
#define git_merge_driver_source_ours (ae_git()->git_merge_driver_source_ours)
#define git_merge_driver_source_repo (ae_git()->git_merge_driver_source_repo)
#define git_merge_driver_source_theirs (ae_git()->git_merge_driver_source_theirs)
#define git_merge_file_from_index (ae_git()->git_merge_file_from_index)
#define git_merge_file_result_free (ae_git()->git_merge_file_result_free)
#define git_merge_options_init (ae_git()->git_merge_options_init)
#define git_object_free (ae_git()->git_object_free)
#define git_object_id (ae_git()->git_object_id)
#define git_object_lookup (ae_git()->git_object_lookup)
#define git_object_peel (ae_git()->git_object_peel)
#define git_odb_add_backend (ae_git()->git_odb_add_backend)
#define git_odb_add_disk_alternate (ae_git()->git_odb_add_disk_alternate)
#define git_odb_backend_data_alloc (ae_git()->git_odb_backend_data_alloc)
#define git_odb_backend_data_free (ae_git()->git_odb_backend_data_free)
#define git_odb_free (ae_git()->git_odb_free)
#define git_odb_hash (ae_git()->git_odb_hash)
#define git_odb_open (ae_git()->git_odb_open)
#define git_odb_refresh (ae_git()->git_odb_refresh)
#define git_oid_cmp (ae_git()->git_oid_cmp)
#define git_oid_cpy (ae_git()->git_oid_cpy)
#define git_oid_equal (ae_git()->git_oid_equal)
#define git_oid_fromraw (ae_git()->git_oid_fromraw)
#define git_oid_fromstr (ae_git()->git_oid_fromstr)
#define git_oid_tostr (ae_git()->git_oid_tostr)
#define git_oid_tostr_s (ae_git()->git_oid_tostr_s)
#define git_reference_create (ae_git()->git_reference_create)
#define git_reference_create_matching (ae_git()->git_reference_create_matching)
#define git_reference_delete (ae_git()->git_reference_delete)
#define git_reference_free (ae_git()->git_reference_free)
#define git_reference_iterator_free (ae_git()->git_reference_iterator_free)
#define git_reference_iterator_glob_new (ae_git()->git_reference_iterator_glob_new)
#define git_reference_lookup (ae_git()->git_reference_lookup)
#define git_reference_name (ae_git()->git_reference_name)
#define git_reference_name_to_id (ae_git()->git_reference_name_to_id)
#define git_reference_next_name (ae_git()->git_reference_next_name)
#define git_reference_symbolic_target (ae_git()->git_reference_symbolic_target)
#define git_reference_target (ae_git()->git_reference_target)
#define git_reference_type (ae_git()->git_reference_type)
#define git_remote_list (ae_git()->git_remote_list)
#define git_repository_commondir (ae_git()->git_repository_commondir)
#define git_repository_config (ae_git()->git_repository_config)
#define git_repository_config_snapshot (ae_git()->git_repository_config_snapshot)
#define git_repository_free (ae_git()->git_repository_free)
#define git_repository_head (ae_git()->git_repository_head)
#define git_repository_head_detached (ae_git()->git_repository_head_detached)
#define git_repository_head_unborn (ae_git()->git_repository_head_unborn)
#define git_repository_index (ae_git()->git_repository_index)
#define git_repository_init (ae_git()->git_repository_init)
#define git_repository_is_bare (ae_git()->git_repository_is_bare)
#define git_repository_item_path (ae_git()->git_repository_item_path)
#define git_repository_mergehead_foreach (ae_git()->git_repository_mergehead_foreach)
#define git_repository_odb (ae_git()->git_repository_odb)
#define git_repository_open_ext (ae_git()->git_repository_open_ext)
#define git_repository_path (ae_git()->git_repository_path)
#define git_repository_set_index (ae_git()->git_repository_set_index)
#define git_repository_set_odb (ae_git()->git_repository_set_odb)
#define git_repository_state_cleanup (ae_git()->git_repository_state_cleanup)
#define git_repository_workdir (ae_git()->git_repository_workdir)
#define git_revparse_single (ae_git()->git_revparse_single)
#define git_revwalk_free (ae_git()->git_revwalk_free)
#define git_revwalk_hide (ae_git()->git_revwalk_hide)
#define git_revwalk_new (ae_git()->git_revwalk_new)
#define git_revwalk_next (ae_git()->git_revwalk_next)
#define git_revwalk_push (ae_git()->git_revwalk_push)
#define git_revwalk_push_glob (ae_git()->git_revwalk_push_glob)
#define git_revwalk_push_head (ae_git()->git_revwalk_push_head)
#define git_revwalk_sorting (ae_git()->git_revwalk_sorting)
#define git_signature_free (ae_git()->git_signature_free)
#define git_signature_new (ae_git()->git_signature_new)
#define git_status_byindex (ae_git()->git_status_byindex)
#define git_status_list_entrycount (ae_git()->git_status_list_entrycount)
#define git_status_list_free (ae_git()->git_status_list_free)
#define git_status_list_new (ae_git()->git_status_list_new)
#define git_status_options_init (ae_git()->git_status_options_init)
#define git_strarray_dispose (ae_git()->git_strarray_dispose)
#define git_tree_create_updated (ae_git()->git_tree_create_updated)
#define git_tree_entry_byindex (ae_git()->git_tree_entry_byindex)
#define git_tree_entry_byname (ae_git()->git_tree_entry_byname)
#define git_tree_entry_bypath (ae_git()->git_tree_entry_bypath)
#define git_tree_entry_filemode (ae_git()->git_tree_entry_filemode)
#define git_tree_entry_free (ae_git()->git_tree_entry_free)
#define git_tree_entry_id (ae_git()->git_tree_entry_id)
#define git_tree_entry_name (ae_git()->git_tree_entry_name)
#define git_tree_entry_type (ae_git()->git_tree_entry_type)
#define git_tree_entrycount (ae_git()->git_tree_entrycount)
#define git_tree_free (ae_git()->git_tree_free)
#define git_tree_id (ae_git()->git_tree_id)
#define git_tree_lookup (ae_git()->git_tree_lookup)
#define git_tree_walk (ae_git()->git_tree_walk)
#endif

#endif
