//! GraphiQL at `/`: works with no internet (every asset is served by the
//! binary itself) and opens with the demo key in its headers.

use std::time::Duration;

use crate::both_backends;
use crate::helpers::{spawn_app, Backend, TestApp};

async fn get(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap_or_else(|err| panic!("GET {path}: {err}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// The values of `src=`, `href=` (quoted or not) and `url(…)` in a page or a stylesheet.
fn loaded_urls(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut urls = Vec::new();
    for marker in ["src=", "href=", "url("] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(marker) {
            let start = from + found + marker.len();
            let rest = text[start..].trim_start();
            let value = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or_default(),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>' || c == ')')
                    .next()
                    .unwrap_or_default(),
            };
            urls.push(value.trim().to_owned());
            from = start;
        }
    }
    urls
}

/// A URL the browser resolves on the page's own origin, or inline data.
fn is_local(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("data:") {
        return true;
    }
    if lower.starts_with("//") || lower.starts_with("\\\\") {
        return false;
    }
    // A scheme ("https:", "javascript:") comes before any '/', '?' or '#'.
    let head = lower.split(['/', '?', '#']).next().unwrap_or_default();
    !head.contains(':')
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn graphiql_opens_with_the_demo_key_in_its_authorization_header(backend: Backend) {
    let app = spawn_app(backend).await;

    let (status, content_type, body) = get(&app, "/").await;

    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = text(&body);
    assert!(
        page.contains("Authorization"),
        "no Authorization header config"
    );
    assert!(
        page.contains(&format!("Bearer {}", app.key)),
        "the demo key is not prefilled"
    );
}

async fn the_page_loads_nothing_from_another_origin(backend: Backend) {
    let app = spawn_app(backend).await;

    let (_, _, body) = get(&app, "/").await;

    let page = text(&body);
    let urls = loaded_urls(&page);
    assert!(
        urls.iter().any(|u| u.starts_with("/assets/graphiql/")),
        "{urls:?}"
    );
    for url in &urls {
        assert!(is_local(url), "the page loads {url:?}");
    }
    assert!(!page.to_ascii_lowercase().contains("@import"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "an absolute URL in the page"
    );
}

async fn every_asset_of_the_page_is_served_with_its_content_type(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, _, body) = get(&app, "/").await;
    let assets: Vec<String> = loaded_urls(&text(&body))
        .into_iter()
        .filter(|u| u.starts_with("/assets/"))
        .collect();
    assert!(
        assets.len() >= 4,
        "GraphiQL, its CSS, React and ReactDOM: {assets:?}"
    );

    for asset in &assets {
        let (status, content_type, body) = get(&app, asset).await;

        assert_eq!(status, 200, "{asset}");
        assert!(!body.is_empty(), "{asset}");
        let expected = if asset.ends_with(".css") {
            content_type.starts_with("text/css")
        } else {
            content_type.starts_with("text/javascript")
                || content_type.starts_with("application/javascript")
        };
        assert!(expected, "{asset}: {content_type}");
        if asset.ends_with(".css") {
            let css = text(&body);
            assert!(
                !css.to_ascii_lowercase().contains("@import"),
                "{asset} imports"
            );
            assert!(
                !css.contains("url(http")
                    && !css.contains("url(\"http")
                    && !css.contains("url('http")
            );
            for url in loaded_urls(&css) {
                assert!(is_local(&url), "{asset} loads {url:.80}");
            }
        }
    }
}

async fn an_unknown_asset_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;

    let (status, _, _) = get(&app, "/assets/graphiql/nope.js").await;
    let (traversal, _, _) = get(&app, "/assets/graphiql/..%2FCargo.toml").await;

    assert_eq!(status, 404);
    assert_eq!(traversal, 404);
}

#[test]
fn the_url_checks_tell_local_from_remote() {
    let page = r#"<link href="/a.css"><script src='https://cdn.example/x.js'></script>
                  <img src=//evil.example/i.png><div style="background:url( data:image/png;base64,AA== )">"#;
    assert_eq!(
        loaded_urls(page),
        [
            "https://cdn.example/x.js",
            "//evil.example/i.png",
            "/a.css",
            "data:image/png;base64,AA=="
        ]
    );
    assert!(is_local("/assets/graphiql/graphiql.min.js"));
    assert!(is_local("data:,"));
    assert!(is_local("relative/file.js"));
    assert!(!is_local("https://cdn.example/x.js"));
    assert!(!is_local("//evil.example/i.png"));
    assert!(!is_local("javascript:alert(1)"));
}

both_backends!(
    graphiql_opens_with_the_demo_key_in_its_authorization_header,
    the_page_loads_nothing_from_another_origin,
    every_asset_of_the_page_is_served_with_its_content_type,
    an_unknown_asset_is_not_found,
);

async fn the_endpoint_path_is_configurable_and_graphiql_follows_it(backend: Backend) {
    let app =
        crate::helpers::spawn_app_with(backend, |s| s.graphql_path = "/api/graphql".to_owned())
            .await;
    let query = serde_json::json!({ "query": "{ currencies(first: 1) { nodes { code } } }" });
    let moved = app
        .client
        .post(format!("{}/api/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let old = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&app.key)
        .json(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 404);
    let page = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("\"endpoint\":\"/api/graphql\""),
        "GraphiQL points at the new path"
    );
}

both_backends!(the_endpoint_path_is_configurable_and_graphiql_follows_it);
