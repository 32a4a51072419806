"""codeflash-lang-js against the engine's language plugin contract, for JavaScript and TypeScript."""

import pytest
from codeflash_lang_js import plugin

from codeflash_engine.testing import LanguagePluginContract

JS_SOURCE = (
    "function findDuplicates(items) {\n"
    "  const duplicates = [];\n"
    "  for (let i = 0; i < items.length; i++) {\n"
    "    for (let j = i + 1; j < items.length; j++) {\n"
    "      if (items[i] === items[j] && !duplicates.includes(items[i])) {\n"
    "        duplicates.push(items[i]);\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "  return duplicates;\n"
    "}\n"
)
JS_OPTIMIZED = (
    "function findDuplicates(items) {\n"
    "  const seen = new Set();\n"
    "  const duplicates = new Set();\n"
    "  for (const item of items) {\n"
    "    if (seen.has(item)) duplicates.add(item);\n"
    "    else seen.add(item);\n"
    "  }\n"
    "  return [...duplicates];\n"
    "}\n"
)
TS_SOURCE = (
    "export function sumOfSquares(values: number[]): number {\n"
    "  let total = 0;\n"
    "  for (const value of values) {\n"
    "    total = total + Math.pow(value, 2);\n"
    "  }\n"
    "  return total;\n"
    "}\n"
)
TS_OPTIMIZED = (
    "export function sumOfSquares(values: number[]): number {\n"
    "  let total = 0;\n"
    "  for (let i = 0; i < values.length; i++) total += values[i] * values[i];\n"
    "  return total;\n"
    "}\n"
)


class TestJavaScriptContract(LanguagePluginContract):
    distribution = "codeflash-lang-js"

    @pytest.fixture
    def language_plugin(self) -> object:
        return plugin

    @pytest.fixture
    def language_name(self) -> str:
        return "javascript"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "findDuplicates"

    @pytest.fixture
    def sample_source(self) -> str:
        return JS_SOURCE

    @pytest.fixture
    def optimized_source(self) -> str:
        return JS_OPTIMIZED

    @pytest.fixture
    def invalid_source(self) -> str:
        return JS_OPTIMIZED.replace("for (const item of items) {", "for (const item of items {")

    @pytest.fixture
    def sample_test_source(self) -> str:
        return (
            "const { findDuplicates } = require('./sample');\n\n"
            "describe('findDuplicates', () => {\n"
            "  it('finds repeated values', () => {\n"
            "    expect(findDuplicates([1, 2, 1])).toEqual([1]);\n"
            "  });\n"
            "});\n"
        )


class TestTypeScriptContract(TestJavaScriptContract):
    @pytest.fixture
    def language_name(self) -> str:
        return "typescript"

    @pytest.fixture
    def sample_function_name(self) -> str:
        return "sumOfSquares"

    @pytest.fixture
    def sample_source(self) -> str:
        return TS_SOURCE

    @pytest.fixture
    def optimized_source(self) -> str:
        return TS_OPTIMIZED

    @pytest.fixture
    def invalid_source(self) -> str:
        return TS_OPTIMIZED.replace("values: number[]", "values: number[")

    @pytest.fixture
    def sample_test_source(self) -> str:
        return (
            "import { describe, it, expect } from 'vitest';\n"
            "import { sumOfSquares } from './sample';\n\n"
            "describe('sumOfSquares', () => {\n"
            "  it('sums squares', () => {\n"
            "    expect(sumOfSquares([1, 2, 3] as number[])).toBe(14);\n"
            "  });\n"
            "});\n"
        )
