from biodiversitheque.search.models import UnmatchedQuery


def test_unmatched_searches_report_lists_queries_with_counts(admin_client, db):
    UnmatchedQuery.objects.create(query_string="dromadaire", hits=3)
    UnmatchedQuery.objects.create(query_string="licorne", hits=7)
    response = admin_client.get("/admin/rapports/recherches-sans-resultat/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("licorne") < html.index("dromadaire")
    assert "recherches-sans-resultat" in admin_client.get("/admin/").content.decode()
    csv = admin_client.get("/admin/rapports/recherches-sans-resultat/", {"export": "csv"})
    content = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8")
    assert content.startswith("\ufeffRecherche;Nombre de fois;")
    assert "licorne;7;" in content


def test_unmatched_search_typed_as_a_formula_is_exported_as_text(admin_client, db):
    UnmatchedQuery.objects.create(query_string='=HYPERLINK("http://evil.example","x")', hits=1)
    csv = admin_client.get("/admin/rapports/recherches-sans-resultat/", {"export": "csv"})
    content = b"".join(csv.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in content and ";=HYPERLINK" not in content


def test_report_is_hidden_from_users_without_permission(client, django_user_model, db):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("agent", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/rapports/recherches-sans-resultat/").status_code in (302, 403)
