"""The explorers' PNG encoder (book.widgets._png) against an independent decoder (Pillow)."""
import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from book.explorers import ALL
from book.widgets import _png


def decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    image.load()  # Pillow checks every chunk's CRC and the zlib stream here
    assert image.mode == "RGB"
    return np.asarray(image)


@given(arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(4))))
def test_png_round_trips_the_rgb_channels(frame):
    assert np.array_equal(decoded(_png(frame)), frame[..., :3])


def test_png_of_a_strided_frame():
    """The canvas buffer is read through a view; a non-contiguous frame encodes the same."""
    frame = np.random.default_rng(0).integers(0, 256, (30, 50, 4), dtype=np.uint8)
    assert _png(frame[::2, ::3]) == _png(np.ascontiguousarray(frame[::2, ::3]))
    assert np.array_equal(decoded(_png(frame[::2, ::3])), frame[::2, ::3, :3])


def test_an_explorer_frame_decodes_to_its_pixels():
    ex = ALL["softmax_explorer"](o0=-1.5, temperature=2.0)
    assert np.array_equal(decoded(ex.image.value), ex.canvas.rgba()[..., :3])
