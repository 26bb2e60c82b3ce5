//! HCL native syntax, through hcl-edit (which keeps byte spans).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};

use super::{Entry, Node, NodeKind, insert, label_count, span};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::FileId;

pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Node> {
    if super::limits::hcl_too_deep(file, text, diags) {
        return None;
    }
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(err) => {
            let loc = err.location();
            let offset = line_col_offset(text, loc.line(), loc.column());
            diags.push(
                Diagnostic::new(
                    Code::Syntax,
                    span(file, offset..offset + 1),
                    format!("invalid HCL: {}", err.message()),
                )
                .label("the parser stopped here"),
            );
            return None;
        }
    };
    let mut root = Node::map(span(file, 0..text.len()));
    convert_body(file, &body, None, &mut root, diags);
    Some(root)
}

fn line_col_offset(text: &str, line: usize, col: usize) -> usize {
    crate::source::SourceFile::new("", text).offset_of(line, col)
}

fn convert_body(
    file: FileId,
    body: &Body,
    parent: Option<&str>,
    into: &mut Node,
    diags: &mut Diagnostics,
) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => {
                let key_span = span(file, attr.key.span().unwrap_or(0..0));
                let value = convert_expr(file, &attr.value, diags).unwrap_or_else(|| Node {
                    span: span(file, attr.value.span().unwrap_or(0..0)),
                    kind: NodeKind::Invalid,
                });
                let entry = Entry {
                    key: attr.key.as_str().to_owned(),
                    key_span,
                    is_block: false,
                    value,
                };
                insert(into, entry, 0, "", diags);
            }
            Structure::Block(block) => {
                let ident = block.ident.as_str();
                let block_span = span(file, block.span().unwrap_or(0..0));
                let ident_span = span(file, block.ident.span().unwrap_or(0..0));
                let expected = label_count(parent, ident);
                if let Some(n) = expected
                    && block.labels.len() != n
                {
                    let example = if n == 0 {
                        format!("{ident} {{ ... }}")
                    } else {
                        format!("{ident} \"<name>\" {{ ... }}")
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::Labels,
                            ident_span.clone(),
                            format!(
                                "`{ident}` block takes {n} label{}, found {}",
                                if n == 1 { "" } else { "s" },
                                block.labels.len()
                            ),
                        )
                        .hint(format!("write it as `{example}`")),
                    );
                    continue;
                }
                let mut body_node = Node::map(block_span.clone());
                convert_body(file, &block.body, Some(ident), &mut body_node, diags);
                // Wrap the body in one map level per label, innermost first.
                let mut value = body_node;
                for label in block.labels.iter().rev() {
                    let label_span = span(file, label.span().unwrap_or(0..0));
                    let mut level = Node::map(block_span.clone());
                    if let NodeKind::Map(entries) = &mut level.kind {
                        let key = label.as_str().to_owned();
                        entries.insert(
                            key.clone(),
                            Entry {
                                key,
                                key_span: label_span,
                                is_block: true,
                                value,
                            },
                        );
                    }
                    value = level;
                }
                let entry = Entry {
                    key: ident.to_owned(),
                    key_span: ident_span,
                    is_block: true,
                    value,
                };
                insert(into, entry, block.labels.len(), "", diags);
            }
        }
    }
}

fn convert_expr(file: FileId, expr: &Expression, diags: &mut Diagnostics) -> Option<Node> {
    let expr_span = span(file, expr.span().unwrap_or(0..0));
    let kind = match expr {
        Expression::Null(_) => NodeKind::Null,
        Expression::Bool(b) => NodeKind::Bool(*b.value()),
        Expression::Number(n) => {
            let n = n.value();
            let json = if let Some(u) = n.as_u64() {
                serde_json::Number::from(u)
            } else if let Some(i) = n.as_i64() {
                serde_json::Number::from(i)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64)?
            };
            NodeKind::Number(json)
        }
        Expression::String(s) => NodeKind::Str(s.value().clone()),
        Expression::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                out.push(convert_expr(file, item, diags)?);
            }
            NodeKind::List(out)
        }
        Expression::Object(object) => {
            let mut node = Node::map(expr_span.clone());
            for (key, value) in object.iter() {
                let (name, key_span) = match key {
                    ObjectKey::Ident(ident) => {
                        (ident.as_str().to_owned(), ident.span().unwrap_or(0..0))
                    }
                    ObjectKey::Expression(Expression::String(s)) => {
                        (s.value().clone(), s.span().unwrap_or(0..0))
                    }
                    ObjectKey::Expression(other) => {
                        unsupported(file, other, diags);
                        return None;
                    }
                };
                let value = convert_expr(file, value.expr(), diags)?;
                let entry = Entry {
                    key: name,
                    key_span: span(file, key_span),
                    is_block: false,
                    value,
                };
                insert(&mut node, entry, 0, "", diags);
            }
            return Some(node);
        }
        Expression::Parenthesis(inner) => return convert_expr(file, inner.inner(), diags),
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            // A template without interpolation is a plain string; hcl-rs evaluates it
            // (escapes, heredoc indentation) exactly as Terraform would.
            match evaluate_literal_template(expr) {
                Some(s) => NodeKind::Str(s),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::Expression,
                            expr_span,
                            "template interpolation is not supported in an inventory",
                        )
                        .label("this string refers to something else")
                        .hint("write the literal value; to keep a literal `${`, write `$${`"),
                    );
                    return None;
                }
            }
        }
        other => {
            unsupported(file, other, diags);
            return None;
        }
    };
    Some(Node {
        span: expr_span,
        kind,
    })
}

fn evaluate_literal_template(expr: &Expression) -> Option<String> {
    let template = match expr {
        Expression::StringTemplate(t) => &**t,
        Expression::HeredocTemplate(h) => &h.template,
        _ => return None,
    };
    let literal = template
        .iter()
        .all(|e| matches!(e, hcl_edit::template::Element::Literal(_)));
    if !literal {
        return None;
    }
    let expr: hcl::Expression = expr.clone().into();
    let value: hcl::Value =
        hcl::eval::Evaluate::evaluate(&expr, &hcl::eval::Context::new()).ok()?;
    match value {
        hcl::Value::String(s) => Some(s),
        _ => None,
    }
}

fn unsupported(file: FileId, expr: &Expression, diags: &mut Diagnostics) {
    let what = match expr {
        Expression::Variable(_) | Expression::Traversal(_) => "a reference",
        Expression::FuncCall(_) => "a function call",
        Expression::Conditional(_) => "a conditional",
        Expression::ForExpr(_) => "a `for` expression",
        Expression::UnaryOp(_) | Expression::BinaryOp(_) => "an operation",
        _ => "an expression",
    };
    diags.push(
        Diagnostic::new(
            Code::Expression,
            span(file, expr.span().unwrap_or(0..0)),
            format!("{what} is not allowed in an inventory"),
        )
        .label("not a literal value")
        .hint("an inventory holds literal values only: strings, numbers, bools, lists and maps"),
    );
}
