/// Simplified and traditional spellings of Chinese keywords, so a policy written in
/// one script matches text in the other (机密 and 機密, 国家秘密 and 國家秘密).
///
/// The table covers the characters of sensitive-data vocabulary (secrecy, military,
/// surveying, infrastructure, health, statistics, export control, government
/// documents); it maps whole keywords, not running text.
public enum ChineseVariants {
    /// Pairs of simplified then traditional character.
    private static let pairs: String = """
        国國机機绝絕级級号號军軍队隊装裝备備导導弹彈达達舰艦战戰区區证證测測绘繪础礎图圖\
        线線点點标標转轉换換参參数數异異摄攝遥遙云雲电電关關键鍵设設网網调調络絡变變压壓\
        监監统統继繼护護干幹扑撲规規划劃缆纜输輸气氣储儲库庫坝壩铁鐵渗滲试試报報评評遗遺\
        传傳资資组組显顯谱譜样樣历歷诊診断斷检檢验驗问問访訪谈談纪紀尽盡职職专專开開济濟\
        产產实實际際应應链鏈单單两兩项項红紅头頭议議请請复復征徵见見签簽发發办辦务務领領\
        营營仓倉阵陣卫衛飞飛无無惯慣镓鎵锗鍺锑銻钨鎢铋鉍钼鉬铟銦锂鋰负負极極细細编編辑輯\
        术術纸紙艺藝码碼银銀联聯户戶医醫疗療儿兒账賬种種陆陸歼殲轰轟运運侦偵观觀边邊岛島\
        潜潛别別亿億万萬计計讯訊档檔与與为為从從这這个個们們时時来來对對说說经經过過后後\
        题題动動当當业業东東车車书書长長门門现現总總体體质質党黨团團县縣乡鄉镇鎮审審财財\
        预預决決记記录錄属屬权權师師连連枪槍药藥矿礦钻鑽盐鹽粮糧员員灾災贸貿易易价價钢鋼\
        构構筑築厂廠场場内內详詳细細让讓户戶态態频頻读讀写寫启啟册冊练練际際阅閱类類剂劑\
        卡卡罗羅马馬湾灣沪滬晋晉冀冀鲁魯苏蘇浙浙闽閩赣贛粤粵桂桂琼瓊渝渝滇滇陕陝甘甘宁寧\
        疆疆藏藏蒙蒙涉涉
        """

    private static let (toTraditional, toSimplified): ([Character: Character], [Character: Character]) = {
        var forward: [Character: Character] = [:]
        var backward: [Character: Character] = [:]
        let characters = Array(pairs)
        var index = 0
        while index + 1 < characters.count {
            let simplified = characters[index], traditional = characters[index + 1]
            index += 2
            if simplified == traditional { continue }
            forward[simplified] = traditional
            backward[traditional] = simplified
        }
        // 秘密 is also written 祕密 in traditional texts.
        backward["祕"] = "秘"
        return (forward, backward)
    }()

    /// Pairs of traditional character then the Japanese form (shinjitai) that differs
    /// from it: Japanese text writes 絶 for 絕 (绝), 国 for 國, 発 for 發. The Japanese
    /// spelling of a keyword is its traditional one with these replaced (国家機密, 絶密).
    private static let japanesePairs: String = """
        絕絶國国發発戰戦圖図團団檢検驗験證証傳伝邊辺營営關関鐵鉄氣気觀観實実價価讀読變変        壓圧單単應応繼継處処舉挙區区縣県總総據拠繪絵轉転參参攝摂擊撃數数點点續続號号        與与來来對対說説經経黨党權権藥薬礦鉱鹽塩內内讓譲寫写啟啓劑剤兩両專専濟済醫医        兒児灣湾潛潜歷歴譯訳會会學学體体當当從従聲声廣広擴拡黃黄戶戸圍囲寶宝勞労榮栄        舊旧條条萬万辭辞臺台衞衛齡齢觸触稅税
        """

    private static let toJapanese: [Character: Character] = {
        var result: [Character: Character] = [:]
        let characters = Array(japanesePairs.filter { !$0.isWhitespace })
        var index = 0
        while index + 1 < characters.count {
            result[characters[index]] = characters[index + 1]
            index += 2
        }
        return result
    }()

    /// The keyword as written, in simplified script, in traditional script and in Japanese
    /// forms, without repeats.
    public static func spellings(of text: String) -> [String] {
        let simplified = String(text.map { toSimplified[$0] ?? $0 })
        let traditional = String(simplified.map { toTraditional[$0] ?? $0 })
        let japanese = String(traditional.map { toJapanese[$0] ?? $0 })
        var result = [text]
        for candidate in [simplified, traditional, japanese] where !result.contains(candidate) {
            result.append(candidate)
        }
        return result
    }
}
