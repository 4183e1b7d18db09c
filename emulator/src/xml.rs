//! A tiny element tree over quick-xml's reader, for eSMS's `<RQST>` bodies.
//!
//! Only what a well-formed document needs: nested elements with their text (entities and
//! character references resolved, CDATA kept, end-of-lines normalised as XML 1.0 requires).
//! Attributes, comments, processing instructions and the XML declaration are ignored. A
//! document type declaration is refused (nothing legitimate needs one, and it is how entity
//! expansion attacks start).

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::wire::Invalid;

/// Deepest nesting accepted (`RQST/CONTACTS/CUSTOMER/PHONE` needs 4).
const MAX_DEPTH: usize = 16;

/// One element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Element {
    pub name: String,
    /// All text directly inside this element, concatenated.
    pub text: String,
    pub children: Vec<Element>,
}

/// Parses a whole document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, Invalid> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let malformed = |e: &dyn std::fmt::Display| Invalid(format!("malformed XML: {e}"));
    loop {
        let event = reader.read_event().map_err(|e| malformed(&e))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(Invalid::new(
                        "malformed XML: content after the root element",
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Invalid::new("malformed XML: nested too deep"));
                }
                let name = std::str::from_utf8(start.name().as_ref())
                    .map_err(|e| malformed(&e))?
                    .to_owned();
                stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(empty) => {
                let name = std::str::from_utf8(empty.name().as_ref())
                    .map_err(|e| malformed(&e))?
                    .to_owned();
                let element = Element {
                    name,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => {
                        return Err(Invalid::new("malformed XML: two root elements"));
                    }
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match their start names.
                let element = stack
                    .pop()
                    .ok_or_else(|| Invalid::new("malformed XML: unexpected end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content().map_err(|e| malformed(&e))?;
                push_text(&mut stack, &content)?;
            }
            Event::CData(c) => {
                let content = c.xml10_content().map_err(|e| malformed(&e))?;
                push_text(&mut stack, &content)?;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| malformed(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| malformed(&e))?;
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| {
                                Invalid(format!("malformed XML: unknown entity &{name};"))
                            })?
                            .to_owned()
                    }
                };
                push_text(&mut stack, &resolved)?;
            }
            Event::DocType(_) => {
                return Err(Invalid::new(
                    "XML document type declarations are not accepted",
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(Invalid::new("malformed XML: unclosed element"));
    }
    root.ok_or_else(|| Invalid::new("malformed XML: no root element"))
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), Invalid> {
    match stack.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(Invalid::new("malformed XML: text outside the root element")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_rqst() {
        let doc = "<?xml version=\"1.0\"?>\n<RQST><APIKEY>k</APIKEY>\n<CALLBACKURL>http://x/?a=1&amp;b=2</CALLBACKURL>\
                   <CONTENT><![CDATA[<hi>]]> &#x1EA1;</CONTENT><CONTACTS><CUSTOMER><PHONE>0901</PHONE></CUSTOMER></CONTACTS><SENDDATE/></RQST>";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "RQST");
        assert_eq!(root.children[0].text, "k");
        assert_eq!(root.children[1].text, "http://x/?a=1&b=2");
        assert_eq!(root.children[2].text, "<hi> \u{1EA1}");
        assert_eq!(root.children[3].children[0].children[0].text, "0901");
        assert_eq!(root.children[4].name, "SENDDATE");
    }

    #[test]
    fn refuses_malformed_documents() {
        for doc in [
            "",
            "plain text",
            "<RQST><APIKEY><k</APIKEY></RQST>",
            "<RQST><APIKEY>k</RQST>",
            "<RQST>",
            "<RQST/><RQST/>",
            "<RQST>&nbsp;</RQST>",
            "<!DOCTYPE x [<!ENTITY a \"b\">]><RQST/>",
            "<RQST/>trailing",
        ] {
            assert!(parse(doc).is_err(), "{doc:?}");
        }
    }
}
