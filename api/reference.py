"""The OpenAPI document read back as plain rows for the reference page (templates/api/reference.html)."""

REF_PREFIX = "#/components/schemas/"


def describe(schema):
    """(type in words, name of the component it refers to or None) for one schema object."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return name, name
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return describe(schema["allOf"][0])
    if "oneOf" in schema:
        parts = [describe(option) for option in schema["oneOf"] if option.get("type") != "null"]
        ref = next((ref for _text, ref in parts if ref), None)
        return " or ".join(text for text, _ref in parts) or "null", ref
    kind = schema.get("type", "object")
    if kind == "array":
        text, ref = describe(schema.get("items", {}))
        return f"list of {text}", ref
    if schema.get("format"):
        return f"{kind} ({schema['format']})", None
    return kind, None


def _values(enum):
    """An enum's values worth listing (not the empty choice)."""
    return [value for value in enum or [] if value not in ("", None)]


def fields_of(schema):
    """The properties of one component as rows: name, type, required, nullable, values, description."""
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        text, ref = describe(prop)
        rows.append(
            {
                "name": name,
                "type": text,
                "ref": ref,
                "required": name in required,
                "nullable": prop.get("nullable", False),
                "values": _values(prop.get("enum")),
                "description": prop.get("description", ""),
            }
        )
    return rows


def parameters_of(operation):
    rows = []
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        text, _ref = describe(schema)
        rows.append(
            {
                "name": parameter["name"],
                "where": parameter["in"],
                "type": text,
                "required": parameter.get("required", False),
                "values": _values(schema.get("enum") or schema.get("items", {}).get("enum")),
                "description": parameter.get("description", ""),
            }
        )
    return rows


def responses_of(operation):
    rows = []
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {}).get("application/json", {})
        text, ref = describe(content["schema"]) if "schema" in content else ("", None)
        rows.append({"status": status, "description": response.get("description", ""), "type": text, "ref": ref})
    return rows


def reference_rows(schema):
    """Every operation (method, path, summary, description, parameters, responses) and every component."""
    operations = [
        {
            "id": operation.get("operationId", f"{method}{path}"),
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": parameters_of(operation),
            "responses": responses_of(operation),
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    components = [
        {
            "name": name,
            "description": component.get("description", ""),
            "fields": fields_of(component),
            "values": component.get("enum", []),
        }
        for name, component in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    return operations, components
