package io.skeletonssl.formats.arrays;

import io.skeletonssl.formats.ntu.NtuActions;
import io.skeletonssl.formats.pku.PkuMmdSource;
import io.skeletonssl.layout.SkeletonLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Class names for array formats, which store only label numbers: the NTU-60/120 or PKU-MMD names
 * when the layout and class count say which benchmark it is, else "class k".
 */
final class ClassNames {

    private ClassNames() {
    }

    static List<String> guess(SkeletonLayout layout, int numClasses) {
        if (layout.numJoints() == 25 && (numClasses == 60 || numClasses == 120)) {
            return NtuActions.names(numClasses);
        }
        if (layout.numJoints() == 25 && numClasses == PkuMmdSource.NUM_CLASSES) {
            return PkuMmdSource.CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            names.add("class " + k);
        }
        return names;
    }
}
