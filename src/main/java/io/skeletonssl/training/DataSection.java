package io.skeletonssl.training;

import static io.skeletonssl.training.SettingChecks.positive;

/**
 * The {@code data} section every method's configuration has: the frames T the model reads, the
 * joints V and persons M (taken from the dataset when a run starts) and the class count C of the
 * downstream heads. {@code data.path}, the dataset a run was trained on, is a record, not a setting.
 */
public record DataSection(int frames, int joints, int persons, int numClasses) {
    public DataSection {
        positive("data.frames", frames);
        positive("data.joints", joints);
        positive("data.persons", persons);
        positive("data.num_classes", numClasses);
    }
}
