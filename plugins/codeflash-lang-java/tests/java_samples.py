"""The client's real context for ``Inventory.totalQuantity`` (captured traffic of codeflash 0.20.6)
and request builders shared by the Java plugin's tests."""

import json
from pathlib import Path
from typing import Any

from codeflash_engine.domain import Candidate, SourceFile, TargetFunction, Task, TaskRequest
from codeflash_engine.extraction import parse_markdown_files

# Beside the checkout, like the engine's contract tests read theirs.
TRAFFIC = Path(__file__).parents[4] / "shared" / "reference" / "client-traffic-samples-java-go.json"

TARGET_PATH = "src/main/java/com/example/Inventory.java"
HELPER_PATH = "src/main/java/com/example/model/Item.java"
# Block 1 exactly as the client sends it: imports, the skeleton, same-class helpers after the brace.
INVENTORY = """import java.util.ArrayList;
import java.util.List;
import com.example.model.Item;

public class Inventory {
    private static final int LIMIT = 1000;
    private final List<Item> items = new ArrayList<>();
    public Inventory(List<Item> initial) {
        items.addAll(initial);
    }
    public int totalQuantity() {
        int total = 0;
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            total = total + clamp(it.getQuantity());
        }
        return total;
    }
}


private int clamp(int q) {
        return Math.min(q, LIMIT);
    }"""
ITEM_HELPERS = """public String getName() { return name; }


    public int getQuantity() { return quantity; }"""
SKELETONS = """// Constructors: Item(String name, int quantity)
public class Item {
    private final String name;
    private final int quantity;
    public Item(String name, int quantity) {
    this.name = name;
    this.quantity = quantity;
    }
    public String getName ();
    public int getQuantity ();
}"""
OPTIMIZE_MARKDOWN = f"```java:{TARGET_PATH}\n{INVENTORY}\n```\n```java:{HELPER_PATH}\n{ITEM_HELPERS}\n```"
TESTGEN_MARKDOWN = f"{OPTIMIZE_MARKDOWN}\n```java\n{SKELETONS}\n```"

FOR_EACH = INVENTORY.replace(
    """        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            total = total + clamp(it.getQuantity());
        }""",
    """        for (Item it : items) {
            total += clamp(it.getQuantity());
        }""",
)
TESTGEN_DETAILS: dict[str, Any] = {
    "module_path": "com.example.Inventory",
    "test_module_path": "test_totalQuantity__unit_test_0Test",
    "test_framework": "junit5",
    "helper_function_names": ["Item.getName", "Item.getQuantity", "Inventory.clamp"],
    "class_name": "Inventory",
    "qualified_name": "Inventory.totalQuantity",
    "test_timeout": 15,
}
JUNIT5_TESTS = """package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import com.example.model.Item;

class InventoryTest {
    @Test
    void sumsQuantities() {
        Inventory inventory = new Inventory(List.of(new Item("a", 2), new Item("b", 3)));
        assertEquals(5, inventory.totalQuantity());
    }

    @Test
    void clampsLargeQuantities() {
        assertEquals(1000, new Inventory(List.of(new Item("a", 5000))).totalQuantity());
    }
}
"""


def traffic(run: str = "java_inventory") -> list[dict[str, Any]]:
    exchanges: list[dict[str, Any]] = json.loads(TRAFFIC.read_text())["runs"][run]
    return exchanges


def optimize_request(
    task: Task = Task.OPTIMIZE,
    *,
    code: str = OPTIMIZE_MARKDOWN,
    language_version: str | None = "17",
    **details: Any,
) -> TaskRequest:
    return TaskRequest(
        task=task,
        language="java",
        trace_id="t-java",
        files=parse_markdown_files(code),
        language_version=language_version,
        details=details,
    )


def generation_request(
    *, language_version: str | None = "17", code: str = TESTGEN_MARKDOWN, **details: Any
) -> TaskRequest:
    return TaskRequest(
        task=Task.TESTGEN,
        language="java",
        trace_id="t-java",
        files=parse_markdown_files(code),
        language_version=language_version,
        target=TargetFunction(
            name="totalQuantity",
            qualified_name="Inventory.totalQuantity",
            file_path=f"/tmp/project/{TARGET_PATH}",
            class_name="Inventory",
            is_method=True,
        ),
        details={**TESTGEN_DETAILS, **details},
    )


def candidate(candidate_id: str, *files: tuple[str | None, str]) -> Candidate:
    return Candidate(candidate_id=candidate_id, files=tuple(SourceFile(path=p, code=c) for p, c in files))
