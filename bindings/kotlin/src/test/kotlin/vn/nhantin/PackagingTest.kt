package vn.nhantin

import com.sun.jna.Library
import com.sun.jna.NativeLibrary
import com.sun.jna.Platform
import java.io.File
import java.security.MessageDigest
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The library is loaded the way an application loads it: from the classpath resource under JNA's
 * platform folder (here target/classes/linux-x86-64/, which becomes the jar's entry), with no
 * `jna.library.path` and no override. The consumer project in consumer-test/ checks the same from
 * the installed jar, where JNA extracts it to a temporary file.
 */
class PackagingTest {
    private fun sha256(f: File): String = MessageDigest.getInstance("SHA-256").digest(f.readBytes()).joinToString("") { "%02x".format(it) }

    @Test
    fun `the library is loaded from the classpath resource, not from a library path`() {
        assertNull(System.getProperty("jna.library.path"), "the tests must not set jna.library.path")
        assertNull(System.getProperty("uniffi.component.nhantin.libraryOverride"))
        uniffiEnsureInitialized() // loads it and checks the API checksums

        val resourcePath = "${Platform.RESOURCE_PREFIX}/${System.mapLibraryName("nhantin")}"
        assertEquals("linux-x86-64/libnhantin.so", resourcePath, "this suite runs on x86-64 Linux")
        val resource = assertNotNull(Client::class.java.classLoader.getResource(resourcePath), "no $resourcePath on the classpath")

        // The instance the generated code registered (same name, same class loader).
        val loaded = NativeLibrary.getInstance("nhantin", mapOf(Library.OPTION_CLASSLOADER to Client::class.java.classLoader)).file
        assertEquals(File(resource.toURI()).canonicalFile, loaded.canonicalFile, "JNA loaded another file than the classpath resource")

        // The process maps that file and not the build's own copy.
        val built = File(System.getProperty("nhantin.lib.dir"), "libnhantin.so").canonicalFile
        val maps = File("/proc/self/maps").readLines().mapNotNull { it.split(Regex("\\s+"), limit = 6).getOrNull(5) }.toSet()
        assertTrue(loaded.canonicalPath in maps, "${loaded.canonicalPath} is not mapped")
        assertFalse(built.path in maps, "the build's own $built is mapped too")
        // run-tests.sh hashes LIB_DIR's library when it stages it: the build may be replaced since.
        val expected = System.getProperty("nhantin.lib.sha256")?.takeIf { it.isNotBlank() } ?: sha256(built)
        assertEquals(expected, sha256(loaded), "the bundled library is not LIB_DIR's build")
    }
}
