"""Schemathesis hooks for ordergraph (loaded by scripts/fuzz-schemathesis
through SCHEMATHESIS_HOOKS).

- Strategies for the custom scalars `Decimal` (well-formed amounts, but also
  integers, floats and junk text, which must be user errors) and `JSON`
  (nested objects, lists and leaves).
- `no_server_fault`: fails on any 5xx answer and on any answer that carries
  an error with `extensions.code` INTERNAL. Whatever a client sends, the
  server answers below 500 with coded, non-internal errors. (Schemathesis's
  own `not_a_server_error` also counts every GraphQL error with a `path` as a
  server error, so it would flag `BAD_CURSOR`, which API.md specifies as an
  execution error with a path.)
"""

import json

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.from_regex(r"\A-?[0-9]{1,8}(\.[0-9]{1,5})?\Z").map(nodes.String),
        st.from_regex(r"\A[0-9]{15,25}(\.[0-9]{1,4})?\Z").map(nodes.String),
        st.integers(min_value=-(2**63), max_value=2**63 - 1).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        st.text(max_size=30).map(nodes.String),
    ),
)


def _object(fields):
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)
            for name, value in fields.items()
        ]
    )


_names = st.from_regex(r"\A[_A-Za-z][_0-9A-Za-z]{0,12}\Z")
_leaves = st.one_of(
    st.text(max_size=40).map(nodes.String),
    st.integers(min_value=-(2**53), max_value=2**53).map(nodes.Int),
    st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    st.booleans().map(nodes.Boolean),
    st.just(nodes.Null),
)
schemathesis.graphql.scalar(
    "JSON",
    st.one_of(
        st.dictionaries(
            _names,
            st.recursive(
                _leaves,
                lambda inner: st.one_of(
                    st.lists(inner, max_size=4).map(nodes.List),
                    st.dictionaries(_names, inner, max_size=4).map(_object),
                ),
                max_leaves=12,
            ),
            max_size=6,
        ).map(_object),
        _leaves,
    ),
)


def _codes(body):
    """Every `extensions.code` of a GraphQL answer (or batch of answers)."""
    answers = body if isinstance(body, list) else [body]
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        for error in answer.get("errors") or []:
            extensions = error.get("extensions") if isinstance(error, dict) else None
            if isinstance(extensions, dict):
                yield extensions.get("code")


@schemathesis.check
def no_server_fault(ctx, response, case):
    text = response.content.decode("utf-8", "replace")
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {text[:2000]}")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if "INTERNAL" in _codes(body) or '"INTERNAL"' in text:
        raise AssertionError(f"an INTERNAL error: {text[:2000]}")
