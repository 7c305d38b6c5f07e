/*
 * c10 log level for skeleton-ssl: makes the TORCH_CPP_LOG_LEVEL environment variable work.
 *
 * libc10.so reads TORCH_CPP_LOG_LEVEL only in c10::initLogging(), which PyTorch's Python module
 * calls and DJL does not, so under DJL the variable has no effect and every process prints
 * warnings such as the "AutoNonVariableTypeMode is deprecated" one of DJL's JNI. The minimum
 * level c10 logs at is the exported variable FLAGS_caffe2_log_level, which libc10.so and
 * libtorch_cpu.so read through their global offset tables. Loaded with LD_PRELOAD, this library
 * defines that variable first, so theirs is never used; it starts at c10's default (WARNING)
 * and takes TORCH_CPP_LOG_LEVEL (INFO, WARNING, ERROR, FATAL or 0-3) when the process starts.
 *
 * Only what c10 *logs* is filtered: errors raised by PyTorch still reach Java as exceptions.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* c10::GLOG_INFO = 0, GLOG_WARNING = 1, GLOG_ERROR = 2, GLOG_FATAL = 3 */
__attribute__((visibility("default")))
int FLAGS_caffe2_log_level = 1;

static int parse_level(const char *v) {
    static const char *const names[] = {"INFO", "WARNING", "ERROR", "FATAL"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, names[i]) == 0) {
            return i;
        }
    }
    if (v[0] >= '0' && v[0] <= '3' && v[1] == '\0') {
        return v[0] - '0';
    }
    return -1; /* unknown: keep the default */
}

__attribute__((constructor))
static void skeleton_ssl_c10_log_level_init(void) {
    const char *v = getenv("TORCH_CPP_LOG_LEVEL");
    if (v != NULL && v[0] != '\0') {
        int level = parse_level(v);
        if (level >= 0) {
            FLAGS_caffe2_log_level = level;
        }
    }
}
