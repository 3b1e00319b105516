// OwlCheck — load an ontology document with the OWL API (the library Protégé
// uses) and report, as ONE JSON object on stdout, what the OWL API made of it.
//
//   java OwlCheck [--catalog catalog-v001.xml] FILE
//
// Exit 0 when FILE loaded (even with profile violations: the caller decides
// what is acceptable), 2 when it could not be loaded (message on stderr).
// Run by tests/test_owlapi.py; the classpath is the Debian libowlapi-java jars.

import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAnnotationAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLLiteral;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class OwlCheck {

    static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    public static void main(String[] args) {
        File catalog = null;
        File file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--catalog") && i + 1 < args.length) {
                catalog = new File(args[++i]);
            } else if (file == null && !args[i].startsWith("--")) {
                file = new File(args[i]);
            } else {
                System.err.println("usage: java OwlCheck [--catalog catalog-v001.xml] FILE");
                System.exit(64);
            }
        }
        if (file == null) {
            System.err.println("usage: java OwlCheck [--catalog catalog-v001.xml] FILE");
            System.exit(64);
        }

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // Drop the default mapper, which maps an import IRI to itself and so
        // fetches it from the web: the check must be offline and must show
        // that imports resolve through the catalog, not through w3id.org.
        manager.getIRIMappers().clear();
        try {
            if (catalog != null) {
                for (Map.Entry<IRI, IRI> e : readCatalog(catalog).entrySet()) {
                    manager.getIRIMappers().add(new SimpleIRIMapper(e.getKey(), e.getValue()));
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read catalog " + catalog + ": " + e);
            System.exit(2);
        }

        // SILENT: an unresolvable import is recorded by the listener and the
        // load goes on, so the report can list it instead of just failing.
        List<String> missingImports = new ArrayList<>();
        manager.addMissingImportListener(event -> missingImports.add(event.getImportedOntologyURI().toString()));
        OWLOntologyLoaderConfiguration config = manager.getOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);

        OWLOntology o;
        try {
            o = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
        } catch (Exception e) {
            System.err.println("cannot load " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }

        // Unparsed triples and guessed declarations are kept per loaded
        // document; sum them over the import closure so a defect in an
        // imported file (e.g. ontology.owl behind erkg-data.owl) is seen too.
        long unparsed = 0;
        long guessed = 0;
        for (OWLOntology part : o.importsClosure().collect(Collectors.toList())) {
            OWLDocumentFormat format = manager.getOntologyFormat(part);
            if (format == null) {
                continue;
            }
            OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().orElse(null);
            if (meta != null) {
                unparsed += meta.getUnparsedTriples().count();
                guessed += meta.getGuessedDeclarations().size();
            }
        }

        // checkOntology walks the whole import closure.
        List<String> violations = new ArrayList<>();
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(o).getViolations()) {
            violations.add(v.getClass().getSimpleName() + ": " + v);
        }

        List<String> unlabelled = unlabelled(o);

        List<String> imports = o.imports()
                .map(i -> i.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)"))
                .sorted()
                .collect(Collectors.toList());
        OWLDocumentFormat format = manager.getOntologyFormat(o);

        StringBuilder out = new StringBuilder("{");
        out.append("\"file\": ").append(str(file.getPath()));
        out.append(", \"format\": ").append(format == null ? "null" : str(format.getKey()));
        out.append(", \"ontology_iri\": ")
                .append(o.getOntologyID().getOntologyIRI().map(i -> str(i.toString())).orElse("null"));
        out.append(", \"axioms\": ").append(o.getAxiomCount());
        out.append(", \"logical_axioms\": ").append(o.getLogicalAxiomCount());
        out.append(", \"imports\": ").append(list(imports));
        out.append(", \"missing_imports\": ").append(list(missingImports));
        out.append(", \"unparsed_triples\": ").append(unparsed);
        out.append(", \"guessed_declarations\": ").append(guessed);
        out.append(", \"dl_violations\": ").append(list(violations));
        out.append(", \"unlabelled\": ").append(list(unlabelled));
        out.append("}");
        System.out.println(out);
        System.exit(0);
    }

    /**
     * The entities of the import closure (classes, properties, datatypes, named
     * individuals; not the built-in ones nor XML Schema's datatypes, which are
     * W3C's to name) without an rdfs:label in German and one in English, as
     * "IRI lacks de, en": what Protégé would show by IRI.
     */
    static List<String> unlabelled(OWLOntology o) {
        List<OWLOntology> closure = o.importsClosure().collect(Collectors.toList());
        List<String> out = new ArrayList<>();
        for (OWLEntity e : o.signature(Imports.INCLUDED)
                .filter(e -> !e.isBuiltIn() && !(e.isOWLDatatype() && e.getIRI().toString().startsWith(XSD)))
                .sorted().collect(Collectors.toList())) {
            Set<String> missing = new TreeSet<>(List.of("de", "en"));
            for (OWLOntology part : closure) {
                part.annotationAssertionAxioms(e.getIRI())
                        .filter(ax -> ax.getProperty().isLabel())
                        .map(OWLAnnotationAssertionAxiom::getValue)
                        .forEach(v -> v.asLiteral().map(OWLLiteral::getLang).ifPresent(missing::remove));
            }
            if (!missing.isEmpty()) {
                out.add(e.getIRI() + " lacks " + String.join(", ", missing));
            }
        }
        return out;
    }

    /** Protégé XML catalog: each <uri name="ontology IRI" uri="document"/>, the document relative to the catalog. */
    static Map<IRI, IRI> readCatalog(File catalog) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList entries = factory.newDocumentBuilder().parse(catalog)
                .getElementsByTagNameNS("urn:oasis:names:tc:entity:xmlns:xml:catalog", "uri");
        URI base = catalog.getAbsoluteFile().toURI();
        Map<IRI, IRI> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            map.put(IRI.create(e.getAttribute("name")), IRI.create(base.resolve(e.getAttribute("uri"))));
        }
        return map;
    }

    static String list(List<String> items) {
        return items.stream().map(OwlCheck::str).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A JSON string literal (no JSON library on the Debian classpath). */
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
