"""A small Maven-layout Java project and the markdown the 0.20.6 client sends for
``Inventory.totalQuantity`` (as captured in the reference traffic), with the LLM replies the fake
answers the Java flow's tasks with."""

INVENTORY_PATH = "src/main/java/com/example/Inventory.java"
ITEM_PATH = "src/main/java/com/example/model/Item.java"
INVENTORY = """package com.example;

import java.util.ArrayList;
import java.util.List;
import com.example.model.Item;

public class Inventory {
    private static final int LIMIT = 1000;
    private final List<Item> items = new ArrayList<>();

    public Inventory(List<Item> initial) {
        items.addAll(initial);
    }

    public int size() {
        return items.size();
    }

    public int totalQuantity() {
        int total = 0;
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            total = total + clamp(it.getQuantity());
        }
        return total;
    }

    private int clamp(int q) {
        return Math.min(q, LIMIT);
    }
}
"""
ITEM = """package com.example.model;

public class Item {
    private final String name;
    private final int quantity;

    public Item(String name, int quantity) {
        this.name = name;
        this.quantity = quantity;
    }

    public String getName() { return name; }

    public int getQuantity() { return quantity; }
}
"""
# The read-writable context exactly as the client builds it (imports, skeleton, same-class helpers
# after the closing brace; helper methods of other files in their own block).
SKELETON = """import java.util.ArrayList;
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
ITEM_HELPERS = (
    "public String getName() { return name; }\n\n\n    public int getQuantity() { return quantity; }"
)
TYPE_SKELETONS = """// Constructors: Item(String name, int quantity)
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
OPTIMIZE_MARKDOWN = f"```java:{INVENTORY_PATH}\n{SKELETON}\n```\n```java:{ITEM_PATH}\n{ITEM_HELPERS}\n```"
TESTGEN_MARKDOWN = f"{OPTIMIZE_MARKDOWN}\n```java\n{TYPE_SKELETONS}\n```"


def _loop(body: str) -> str:
    """SKELETON with another body for ``totalQuantity``."""
    start = SKELETON.index("        int total = 0;\n")
    end = SKELETON.index("        return total;\n") + len("        return total;")
    return SKELETON[:start] + body + SKELETON[end:]


FOR_EACH = _loop(
    "        int total = 0;\n        for (Item it : items) {\n"
    "            total += clamp(it.getQuantity());\n        }\n        return total;"
)
FOR_EACH_REFORMATTED = _loop(
    "        // same loop, another layout\n        int total = 0;\n"
    "        for (Item it : items) { total += clamp(it.getQuantity()); }\n        return total;"
)
# A new import the client would drop: the service rewrites it into qualified names.
WITH_IMPORT = "import java.util.Iterator;\n" + _loop(
    "        int total = 0;\n        Iterator<Item> iterator = items.iterator();\n"
    "        while (iterator.hasNext()) {\n"
    "            total += clamp(iterator.next().getQuantity());\n        }\n"
    "        return total;"
)
LONG_RESULT = FOR_EACH.replace("public int totalQuantity()", "public long totalQuantity()")
# A new static helper after the brace and a changed helper of Item (both Item helpers in its block).
WITH_HELPERS = (
    _loop("        return sumClamped(items);")
    + "\n\n    private static int sumClamped(List<Item> list) {\n        int total = 0;\n"
    "        for (Item it : list) {\n            int q = it.getQuantity();\n"
    "            total += q < LIMIT ? q : LIMIT;\n        }\n        return total;\n    }"
)
ITEM_HELPERS_CHANGED = ITEM_HELPERS.replace("return quantity;", "return this.quantity;")
INLINED = _loop(
    "        int total = 0;\n        for (Item it : items) {\n            int q = it.getQuantity();\n"
    "            total += Math.min(q, LIMIT);\n        }\n        return total;"
)
INDEXED = _loop(
    "        int total = 0;\n        final int n = items.size();\n        for (int i = 0; i < n; i++) {\n"
    "            total += clamp(items.get(i).getQuantity());\n        }\n        return total;"
)
WRONG = _loop("        return 0;")
QUALIFIED_STREAM = _loop("        return items.stream().mapToInt(it -> clamp(it.getQuantity())).sum();")

# The LLM's test class: no package line, no import for Item, one test that does not call the
# target and one that reads the clock; the service fixes or removes them.
LLM_TESTS = """import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class InventoryTotalQuantityTest {
    @Test
    void sumsQuantities() {
        Inventory inventory = new Inventory(Arrays.asList(new Item("a", 2), new Item("b", 3)));
        assertEquals(5, inventory.totalQuantity());
    }

    @Test
    void emptyInventoryIsZero() {
        assertEquals(0, new Inventory(Collections.emptyList()).totalQuantity());
    }

    @Test
    void clampsEachQuantity() {
        Inventory inventory = new Inventory(Arrays.asList(new Item("a", 5000), new Item("b", 7)));
        assertEquals(1007, inventory.totalQuantity());
    }

    @Test
    void itemKeepsItsName() {
        assertEquals("a", new Item("a", 1).getName());
    }

    @Test
    void fastEnough() {
        long start = System.nanoTime();
        new Inventory(Collections.emptyList()).totalQuantity();
        assertEquals(true, System.nanoTime() >= start);
    }
}
"""
LINE_PROFILE = (
    "# Timer unit: 1e-09 s\n## Function: totalQuantity\n"
    "|   Hits |   Time |   Per Hit |   % Time | Line Contents |\n"
    "|-------:|-------:|----------:|---------:|:--------------|\n"
    "|   1001 |  90000 |        90 |     60.0 | for (int i = 0; i < items.size(); i++) { |\n"
)


def fence(path: str, code: str, explanation: str) -> str:
    return f"{explanation}\n\n```java:{path}\n{code}\n```\n"


def fences(explanation: str, *blocks: tuple[str, str]) -> str:
    return explanation + "\n\n" + "".join(f"```java:{path}\n{code}\n```\n" for path, code in blocks)
