package io.skeletonssl.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a sample came from. Unknown integer fields are -1.
 *
 * @param name        the sample's name (e.g. {@code S001C001P001R001A011}), unique within a dataset
 * @param subject     performer / subject id (1-based as in the dataset), or -1
 * @param view        camera / view id (1-based), or -1
 * @param setup       setup id (NTU), or -1
 * @param replication replication / repetition id, or -1
 * @param group       the recording a clip was cut from (a PKU-MMD video, a UTKinect stream), or the
 *                    name itself; split files may list groups
 * @param source      the file (and position within it) the sample was read from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleMeta(String name, int subject, int view, int setup, int replication, String group,
                         String source) {

    public static SampleMeta named(String name, String source) {
        return new SampleMeta(name, -1, -1, -1, -1, name, source);
    }
}
