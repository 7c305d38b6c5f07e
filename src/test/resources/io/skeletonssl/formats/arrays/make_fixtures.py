# Regenerates the numpy-made fixtures of ArraysNumpyCompatTest (numpy 2.x, Python 3).
# Run from this folder: python3 make_fixtures.py
import os
import pickle
import numpy as np

def x(n, t):
    # x[i, f, k] = i*1000 + f*150 + k, exact in float32
    return (np.arange(n)[:, None, None] * 1000 + np.arange(t)[None, :, None] * 150
            + np.arange(150)[None, None, :]).astype(np.float32)

def onehot(labels, c):
    y = np.zeros((len(labels), c))
    y[np.arange(len(labels)), labels] = 1
    return y

arrays = dict(x_train=x(3, 2), y_train=onehot([2, 0, 1], 4), x_test=x(2, 2), y_test=onehot([3, 1], 4))
np.savez('numpy_savez.npz', **arrays)
np.savez_compressed('numpy_savez_compressed.npz', **arrays)

names = ['S001C001P001R001A001.skeleton', 'S002C003P004R002A060.skeleton', 'other']
for proto in range(6):
    with open('labels_p%d.pkl' % proto, 'wb') as f:
        pickle.dump((names, [np.int64(0), 59, np.int32(7)]), f, protocol=proto)
# labels as a numpy array and names as numpy strings (np.array(...) pickled)
for proto in (2, 4, 5):
    with open('labels_ndarray_p%d.pkl' % proto, 'wb') as f:
        pickle.dump((list(np.array(names)), np.array([0, 59, 7])), f, protocol=proto)

class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned > /tmp/pwned',))

with open('evil_system_p4.pkl', 'wb') as f:
    pickle.dump(([Evil()], [0]), f, protocol=4)
