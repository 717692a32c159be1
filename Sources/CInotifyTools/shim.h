// A thin shim over libinotifytools. The library ships no pkg-config file, its
// event struct lives in <inotifytools/inotify.h>, and the flexible `name`
// member of `struct inotify_event` cannot be read from Swift: these inline
// helpers copy what Swift needs out of the library's reused buffer.
#ifndef GLEANER_CINOTIFYTOOLS_SHIM_H
#define GLEANER_CINOTIFYTOOLS_SHIM_H

#include <inotifytools/inotifytools.h>
#include <inotifytools/inotify.h>
#include <string.h>
#include <sys/vfs.h>

/// The event's name (a file name inside the watched folder), or "" if none.
static inline const char *gleaner_event_name(const struct inotify_event *event) {
    return (event != NULL && event->len > 0) ? event->name : "";
}

/// Length of the event's name in bytes, 0 if none.
static inline size_t gleaner_event_name_length(const struct inotify_event *event) {
    return (event != NULL && event->len > 0) ? strnlen(event->name, event->len) : 0;
}

static inline int gleaner_event_wd(const struct inotify_event *event) { return event->wd; }
static inline unsigned int gleaner_event_mask(const struct inotify_event *event) { return event->mask; }
static inline unsigned int gleaner_event_cookie(const struct inotify_event *event) { return event->cookie; }

/// The file system type (statfs f_type) of `path`, or -1 when it cannot be read.
/// Used to tell network and FUSE mounts, where inotify sees no remote changes.
static inline long gleaner_fs_type(const char *path) {
    struct statfs fs;
    return statfs(path, &fs) == 0 ? (long)fs.f_type : -1;
}

#endif
